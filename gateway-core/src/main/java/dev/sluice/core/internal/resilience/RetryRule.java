package dev.sluice.core.internal.resilience;

import dev.sluice.core.resilience.RetryPolicy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Decides whether a failed call is made again and after how long: the one decision that live calls (each attempt at a
 * provider) and batch lines (each whole try of a line) share. A failure is retried when {@link RetryRules#kind} puts it
 * in a kind this rule retries, attempts are left, and the wait ({@code Retry-After}, else exponential backoff with
 * jitter from the given randomness) ends before the deadline.
 *
 * <p>The two uses differ only in values: a live call retries both {@link FailureKind#TRY_AGAIN} and
 * {@link FailureKind#NOT_NOW} within its provider's {@link RetryPolicy} and request timeout; a batch line, whose every
 * try is a live call that has retried already, waits out only {@link FailureKind#NOT_NOW}, for as long as its window
 * lasts. Sending a failed line again at once would only repeat those inner attempts.
 */
public final class RetryRule {

    /**
     * A batch line's tries: bounded by its window rather than a count, spaced from half a second, doubling up to 30 s,
     * so that a line waits out a long rate limit without pressing on the provider.
     */
    static final RetryPolicy BATCH_LINES = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(500), Duration.ofSeconds(30));

    private final RetryPolicy policy;
    private final Set<FailureKind> retried;
    private final RandomGenerator random;

    private RetryRule(RetryPolicy policy, Set<FailureKind> retried, RandomGenerator random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.retried = retried;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The rule of a live call to one provider: every retryable failure, within {@code policy}. */
    public static RetryRule forCalls(RetryPolicy policy, RandomGenerator random) {
        return new RetryRule(policy, EnumSet.of(FailureKind.TRY_AGAIN, FailureKind.NOT_NOW), random);
    }

    /** The rule of a batch line: only what waiting cures, as long as the batch's window allows. */
    public static RetryRule forBatchLines(RandomGenerator random) {
        return new RetryRule(BATCH_LINES, EnumSet.of(FailureKind.NOT_NOW), random);
    }

    /**
     * How long to wait before the next call, or empty when there is none: the failure is not one this rule retries,
     * the attempts are used up, or the wait would not end before the deadline (then the failure, with the provider's
     * {@code Retry-After}, is the answer).
     *
     * @param attemptsMade calls made so far, the failed one included ({@code >= 1})
     * @param timeLeft     time until the deadline
     */
    public Optional<Duration> retryAfter(Throwable failure, long attemptsMade, Duration timeLeft) {
        if (attemptsMade >= policy.maxAttempts() || !retried.contains(RetryRules.kind(failure))) {
            return Optional.empty();
        }
        Duration asked = RetryRules.retryAfter(failure);
        Duration wait = asked != null ? asked : RetryRules.backoff(policy, attemptsMade - 1, random.nextDouble());
        return wait.compareTo(timeLeft) < 0 ? Optional.of(wait) : Optional.empty();
    }
}
