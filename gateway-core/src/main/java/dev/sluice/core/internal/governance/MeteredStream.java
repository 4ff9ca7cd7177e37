package dev.sluice.core.internal.governance;

import dev.sluice.core.internal.usage.UsageReader;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * Charges a stream exactly once, however it ends: on completion its reported usage; when it fails after its first
 * event or the caller goes away, what it used so far ({@link StreamCharge}), so that abandoning a stream before its
 * usage arrives bypasses no budget or rate limit. A stream that fails before its first event was not answered: its
 * reservation is released instead. Optionally hides the usage-only chunk that the gateway asked for on the caller's
 * behalf.
 */
public final class MeteredStream {

    private static final Logger log = LoggerFactory.getLogger(MeteredStream.class);

    private MeteredStream() {
    }

    /**
     * @param body    the request body, whose prompt is estimated only if the stream ends without its usage
     * @param charge  records the tokens to the caller's key (and ends the reservation)
     * @param release ends the reservation of a stream that was never answered
     */
    public static Flux<SseEvent> meter(Flux<SseEvent> events, boolean hideUsageChunk, byte[] body,
                                       Function<TokenCounts, Mono<Void>> charge, Runnable release) {
        return Flux.usingWhen(
                Mono.fromSupplier(() -> new StreamCharge(() -> RequestEstimate.of(body).promptTokens())),
                counting -> observed(events, counting, hideUsageChunk),
                counting -> quietly(charge.apply(counting.completed())),
                (counting, error) -> counting.started() ? quietly(charge.apply(counting.cutShort())) : Mono.fromRunnable(release),
                // The caller left: nobody waits for this write (usingWhen subscribes it without waiting), but it is kept.
                counting -> quietly(charge.apply(counting.cutShort())));
    }

    private static Flux<SseEvent> observed(Flux<SseEvent> events, StreamCharge counting, boolean hideUsageChunk) {
        Flux<SseEvent> observed = events.doOnNext(counting::observe);
        return hideUsageChunk ? observed.filter(event -> !UsageReader.isUsageOnlyChunk(event)) : observed;
    }

    private static Mono<Void> quietly(Mono<Void> charging) {
        return charging.onErrorResume(error -> {
            log.error("could not charge a stream's usage: {}", error.toString());
            return Mono.empty();
        });
    }
}
