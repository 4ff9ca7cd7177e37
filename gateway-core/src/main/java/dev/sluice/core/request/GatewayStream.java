package dev.sluice.core.request;

import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.util.Objects;

/**
 * A streamed answer whose first event has arrived: who serves it, and its events in the caller's format, that first
 * one included. Subscribe to {@link #events()} once; cancelling that subscription cancels the upstream call, and a
 * stream whose events are never subscribed to holds its upstream call open.
 */
public final class GatewayStream {

    private final Served served;
    private final Flux<SseEvent> events;

    public GatewayStream(Served served, Flux<SseEvent> events) {
        this.served = Objects.requireNonNull(served, "served");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Who serves the stream: the provider, its model and which of the request's targets that is. */
    public Served served() {
        return served;
    }

    /**
     * The events, the first included. Once they began, a failure is an error signal after the events sent so far (a
     * retry or fallback could no longer apply).
     */
    public Flux<SseEvent> events() {
        return events;
    }
}
