package dev.sluice.core.internal.batches;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.resilience.KeysCoolingDownException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a batch line is tried again: after the provider answered 429, 502, 503 or 504 (or the caller's own
 * rate limit refused it, or every key of the provider was cooling down), waiting as long as {@code Retry-After}
 * says or else backing off exponentially with jitter, for as long as the batch's window lasts. A provider that
 * cannot be reached or does not answer in time is not retried here: the line never got an answer, and says so in
 * the error file.
 *
 * <p>This is the outer of two layers: each try of a line is a whole engine request, which already retried its
 * provider ({@code max_attempts}), rotated keys and fell back before failing. So a line costs at most
 * {@code max_attempts} upstream calls per target per try, and its tries are spaced by at least half a second,
 * doubling up to 30 s (or the provider's {@code Retry-After}); once a key's circuit opens, tries in its cool-down
 * send nothing upstream at all.
 */
final class LineRetries {

    static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private LineRetries() {
    }

    static Retry until(Instant deadline, Clock clock, Scheduler timer) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            if (!retryable(failure)) {
                return Mono.error(failure);
            }
            GatewayException known = (GatewayException) failure;
            Duration wait = known.retryAfter() != null ? known.retryAfter() : backoff(signal.totalRetries());
            if (clock.instant().plus(wait).isAfter(deadline)) {
                return Mono.error(failure);
            }
            return Mono.delay(wait, timer);
        }));
    }

    static boolean retryable(Throwable failure) {
        return failure instanceof UpstreamStatusException answered && RETRYABLE.contains(answered.status())
                || failure instanceof AccessDeniedException refused && refused.status() == 429
                // The provider's keys are cooling down after failures: the window may well outlast the cool-down.
                || failure instanceof KeysCoolingDownException
                // This gateway had no free connection to the provider: one will come free within the window.
                || failure instanceof UpstreamBusyException;
    }

    static Duration backoff(long retriesSoFar) {
        long exponential = FIRST_BACKOFF.toMillis() << Math.min(retriesSoFar, 16);
        long capped = Math.min(exponential, MAX_BACKOFF.toMillis());
        // Jitter keeps the lines of a batch that all hit one rate limit from coming back all at once.
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
