package dev.sluice.core.resilience;

import java.time.Duration;

/**
 * How often one provider is tried for one request, and how long to wait in between: at most {@code maxAttempts}
 * calls in all (the first one included), backing off exponentially from {@code initialBackoff} up to
 * {@code maxBackoff}, with jitter, unless the provider said how long to wait ({@code Retry-After}).
 *
 * @param maxAttempts    calls in all, {@code >= 1}; 1 means no retry
 * @param initialBackoff the wait before the first retry, {@code >= 0}
 * @param maxBackoff     the longest wait between two attempts, {@code >= initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Two retries, 0.5 s then 1 s (with jitter), at most 8 s apart: the official OpenAI SDKs' defaults. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8));
    /** One attempt, never retried. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max_attempts: " + maxAttempts + " (expected: >= 1; 1 means no retry)");
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("retry.initial_backoff_ms: " + millis(initialBackoff) + " (expected: >= 0)");
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry.max_backoff_ms: " + millis(maxBackoff)
                    + " (expected: >= initial_backoff_ms, " + initialBackoff.toMillis() + ")");
        }
    }

    private static String millis(Duration duration) {
        return duration == null ? "missing" : Long.toString(duration.toMillis());
    }
}
