package dev.sluice.core.internal.batches;

import dev.sluice.core.internal.resilience.RetryRule;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a batch line is tried again: as {@link RetryRule#forBatchLines} decides, the rule live calls share, with the
 * batch's window as the deadline. So a line waits out what waiting cures (a rate limit, the provider's or the caller's
 * own; an overloaded provider; no free connection; every key cooling down), as long as {@code Retry-After} says or
 * else backing off exponentially with jitter, for as long as the window lasts. A provider that cannot be reached or
 * does not answer in time is not tried again here: the line's engine request already retried it, and the line says
 * so in the error file.
 *
 * <p>This is the outer of two layers: each try of a line is a whole engine request, which already retried its
 * provider ({@code max_attempts}), rotated keys and fell back before failing. So a line costs at most
 * {@code max_attempts} upstream calls per target per try, and its tries are spaced by at least half a second less
 * jitter, doubling up to 30 s (or the provider's {@code Retry-After}); once a key's circuit opens, tries in its
 * cool-down send nothing upstream at all.
 */
final class LineRetries {

    private LineRetries() {
    }

    static Retry until(Instant deadline, Clock clock, Scheduler timer, RetryRule rule) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            Duration timeLeft = Duration.between(clock.instant(), deadline);
            return rule.retryAfter(failure, signal.totalRetries() + 1, timeLeft)
                    .map(wait -> Mono.delay(wait, timer))
                    .orElseGet(() -> Mono.error(failure));
        }));
    }
}
