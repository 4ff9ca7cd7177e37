package dev.sluice.core.internal.governance;

import dev.sluice.core.internal.usage.UsageReader;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Charges a stream's usage once: when it completes, or, if it fails or is cancelled, when usage had already
 * arrived. Optionally hides the usage-only chunk that the gateway asked for on the caller's behalf.
 */
public final class MeteredStream {

    private MeteredStream() {
    }

    public static Flux<SseEvent> meter(Flux<SseEvent> events, boolean hideUsageChunk, Function<TokenCounts, Mono<Void>> record) {
        return Flux.defer(() -> {
            AtomicReference<TokenCounts> seen = new AtomicReference<>();
            AtomicBoolean recorded = new AtomicBoolean();
            Function<Boolean, Mono<Void>> recordOnce = completed -> Mono.defer(() -> {
                TokenCounts counts = seen.get();
                if ((!completed && counts == null) || !recorded.compareAndSet(false, true)) {
                    return Mono.empty();
                }
                return record.apply(counts == null ? TokenCounts.NONE : counts);
            });
            Flux<SseEvent> observed = events.doOnNext(event -> {
                TokenCounts counts = UsageReader.fromEvent(event);
                if (counts != null) {
                    seen.updateAndGet(before -> before == null ? counts : before.merge(counts));
                }
            });
            if (hideUsageChunk) {
                observed = observed.filter(event -> !UsageReader.isUsageOnlyChunk(event));
            }
            return observed
                    .concatWith(recordOnce.apply(true).then(Mono.empty()))
                    .onErrorResume(error -> recordOnce.apply(false).onErrorResume(ignored -> Mono.empty()).then(Mono.error(error)))
                    // The caller left: nobody waits for this write, but the spend must still be kept.
                    .doOnCancel(() -> recordOnce.apply(false).subscribe(null, ignored -> { }));
        });
    }
}
