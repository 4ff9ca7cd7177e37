package dev.sluice.core.internal.governance;

import dev.sluice.core.format.WireFormat;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Charges a stream exactly once, however it ends: on completion its reported usage; when it fails after its first
 * event or the caller goes away, what it used so far ({@link StreamCharge}), so that abandoning a stream before its
 * usage arrives bypasses no budget or rate limit. A stream that fails before its first event was not answered: its
 * reservation is released instead. Hides the events that only the gateway asked for (an OpenAI stream's usage chunk
 * for a caller that did not ask for it).
 */
public final class MeteredStream {

    private static final Logger log = LoggerFactory.getLogger(MeteredStream.class);

    private MeteredStream() {
    }

    /**
     * @param format  the stream's wire format, which says where its usage and generated text are
     * @param hidden  the events only the gateway asked for, which the caller does not see
     * @param body    the request body, whose prompt is estimated only if the stream ends without its usage
     * @param charge  records the tokens to the caller's key (and ends the reservation)
     * @param release ends the reservation of a stream that was never answered
     */
    public static Flux<SseEvent> meter(Flux<SseEvent> events, WireFormat format, Predicate<SseEvent> hidden, byte[] body,
                                       Function<TokenCounts, Mono<Void>> charge, Runnable release) {
        return Flux.usingWhen(
                Mono.fromSupplier(() -> new StreamCharge(format, () -> RequestEstimate.of(body).promptTokens())),
                counting -> events.doOnNext(counting::observe).filter(hidden.negate()),
                counting -> quietly(charge.apply(counting.completed())),
                (counting, error) -> counting.started() ? quietly(charge.apply(counting.cutShort())) : Mono.fromRunnable(release),
                // The caller left: nobody waits for this write (usingWhen subscribes it without waiting), but it is kept.
                counting -> quietly(charge.apply(counting.cutShort())));
    }

    private static Mono<Void> quietly(Mono<Void> charging) {
        return charging.onErrorResume(error -> {
            log.error("could not charge a stream's usage: {}", error.toString());
            return Mono.empty();
        });
    }
}
