package dev.sluice.core.provider;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Holds a provider's event streams to the rules of the wire format it speaks, so that adapters carry transport only:
 * an error reported inside a 200 stream fails the stream (before its first event it can still be retried or fall
 * back; after, the caller gets an in-band error event); the stream stops at an event after which the provider sends
 * nothing; and it ends properly only on its final event, so a cut-short answer is never mistaken for a whole one.
 */
public final class StreamRules implements ProviderAdapter {

    private final ProviderAdapter adapter;
    private final String provider;

    private StreamRules(ProviderAdapter adapter, String provider) {
        this.adapter = adapter;
        this.provider = provider;
    }

    /** The adapter of {@code provider} with its streams held to its format's rules. */
    public static ProviderAdapter around(ProviderAdapter adapter, String provider) {
        return adapter instanceof StreamRules ? adapter : new StreamRules(adapter, provider);
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        return adapter.call(call);
    }

    @Override
    public Flux<SseEvent> stream(ProviderCall call) {
        WireFormat format = adapter.format();
        Operation operation = call.operation();
        Flux<SseEvent> events = adapter.stream(call).<SseEvent>handle((event, sink) -> {
            OptionalInt status = format.streamError(operation, event);
            if (status.isEmpty()) {
                sink.next(event);
            } else {
                // Its body is the event's data: the provider's own envelope.
                sink.error(new UpstreamStatusException(provider, status.getAsInt(), event.data().getBytes(StandardCharsets.UTF_8), null));
            }
        }).takeUntil(format::closesStream);
        return requireFinal(events, format, operation);
    }

    /**
     * The same events, failing with an {@link UpstreamProtocolException} when the upstream stops (cleanly or by dropping
     * the connection mid-body) before its final event. A connection dropped after the final event loses nothing, so
     * the stream then completes.
     */
    private Flux<SseEvent> requireFinal(Flux<SseEvent> events, WireFormat format, Operation operation) {
        return Flux.defer(() -> {
            Seen seen = new Seen();
            return events
                    .doOnNext(event -> {
                        seen.any = true;
                        if (!seen.last && format.endsStream(operation, event)) {
                            seen.last = true;
                        }
                    })
                    .onErrorResume(UpstreamUnavailableException.class, error -> seen.last
                            ? Mono.empty()
                            : Mono.error(seen.any ? truncated() : error))
                    .concatWith(Mono.defer(() -> seen.last ? Mono.empty() : Mono.error(truncated())));
        });
    }

    private UpstreamProtocolException truncated() {
        return new UpstreamProtocolException(provider, "stream from provider '" + provider + "' ended before its final event");
    }

    @Override
    public WireFormat format() {
        return adapter.format();
    }

    @Override
    public boolean supports(Operation operation) {
        return adapter.supports(operation);
    }

    @Override
    public Optional<ConnectionPoolStats> connectionPool() {
        return adapter.connectionPool();
    }

    @Override
    public Mono<Void> close() {
        return adapter.close();
    }

    // Written and read on the one thread that serves the subscription, in order.
    private static final class Seen {
        boolean any;
        boolean last;
    }
}
