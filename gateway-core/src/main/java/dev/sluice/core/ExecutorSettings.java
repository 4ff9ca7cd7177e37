package dev.sluice.core;

import java.time.Duration;

/**
 * How an instance runs leased work (async jobs, batches).
 *
 * @param maxConcurrency units running at once on this instance, {@code > 0}
 * @param pollInterval   how often the queue is checked when nothing wakes the executor
 * @param lease          how long a claim holds before another instance may take the job over; renewed
 *                       while the job runs
 * @param sweepInterval  how often expired results are deleted
 * @param maxAttempts    how many claims a unit gets, {@code > 0}: a claim whose lease lapses (its holder died, or its
 *                       work kept failing) is one attempt, and past the last the unit is failed, never claimed again
 */
public record ExecutorSettings(int maxConcurrency, Duration pollInterval, Duration lease, Duration sweepInterval,
                               int maxAttempts) {

    /** Attempts a unit gets unless configured otherwise: survives a few crashes, never loops for ever. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public static final ExecutorSettings DEFAULTS =
            new ExecutorSettings(64, Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(60));

    public ExecutorSettings {
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("max_concurrency: " + maxConcurrency + " (expected: > 0)");
        }
        requirePositive("poll interval", pollInterval);
        requirePositive("lease", lease);
        requirePositive("sweep interval", sweepInterval);
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("max_attempts: " + maxAttempts + " (expected: > 0)");
        }
    }

    /** With {@link #DEFAULT_MAX_ATTEMPTS}. */
    public ExecutorSettings(int maxConcurrency, Duration pollInterval, Duration lease, Duration sweepInterval) {
        this(maxConcurrency, pollInterval, lease, sweepInterval, DEFAULT_MAX_ATTEMPTS);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: > 0)");
        }
    }

    public ExecutorSettings withMaxConcurrency(int newMaxConcurrency) {
        return new ExecutorSettings(newMaxConcurrency, pollInterval, lease, sweepInterval, maxAttempts);
    }

    public ExecutorSettings withLease(Duration newLease) {
        return new ExecutorSettings(maxConcurrency, pollInterval, newLease, sweepInterval, maxAttempts);
    }

    public ExecutorSettings withMaxAttempts(int newMaxAttempts) {
        return new ExecutorSettings(maxConcurrency, pollInterval, lease, sweepInterval, newMaxAttempts);
    }
}
