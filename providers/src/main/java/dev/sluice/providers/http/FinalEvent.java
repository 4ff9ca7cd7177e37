package dev.sluice.providers.http;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Predicate;

/**
 * Makes a provider's event stream end properly only on its final event, so a cut-short answer is never
 * mistaken for a whole one.
 */
public final class FinalEvent {

    private FinalEvent() {
    }

    /**
     * The same events, failing with an {@link UpstreamProtocolException} when the upstream stops (cleanly
     * or by dropping the connection mid-body) before an event that {@code isFinal} accepts. A connection
     * dropped after the final event loses nothing, so the stream then completes.
     */
    public static Flux<SseEvent> require(Flux<SseEvent> events, Predicate<SseEvent> isFinal, String provider) {
        return Flux.defer(() -> {
            Seen seen = new Seen();
            return events
                    .doOnNext(event -> {
                        seen.any = true;
                        if (!seen.last && isFinal.test(event)) {
                            seen.last = true;
                        }
                    })
                    .onErrorResume(UpstreamUnavailableException.class, error -> seen.last
                            ? Mono.empty()
                            : Mono.error(seen.any ? truncated(provider) : error))
                    .concatWith(Mono.defer(() -> seen.last ? Mono.empty() : Mono.error(truncated(provider))));
        });
    }

    private static UpstreamProtocolException truncated(String provider) {
        return new UpstreamProtocolException(provider, "stream from provider '" + provider + "' ended before its final event");
    }

    // Written and read on the one thread that serves the subscription, in order.
    private static final class Seen {
        boolean any;
        boolean last;
    }
}
