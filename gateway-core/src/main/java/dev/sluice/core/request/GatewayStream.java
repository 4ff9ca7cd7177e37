package dev.sluice.core.request;

import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A streamed answer whose first event has arrived: who serves it, and its events in the caller's format, that first
 * one included. Subscribe to {@link #events()} once; cancelling that subscription cancels the upstream call, and a
 * stream whose events are never subscribed to holds its upstream call open.
 */
public final class GatewayStream {

    private final Served served;
    private final Flux<SseEvent> events;
    private final Supplier<CallReport> report;

    /** @param report what serving the stream took so far, asked each time {@link #report()} is */
    public GatewayStream(Served served, Flux<SseEvent> events, Supplier<CallReport> report) {
        this.served = Objects.requireNonNull(served, "served");
        this.events = Objects.requireNonNull(events, "events");
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * What serving the stream took so far: the caller's key and admitted target, the time upstream up to now, and
     * the tokens charged once the stream has ended.
     */
    public CallReport report() {
        return report.get();
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
