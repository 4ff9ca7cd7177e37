package dev.sluice.server.config;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.jobs.AsyncJobService;

/**
 * The {@code async:} section.
 *
 * @param resultTtlSeconds how long a finished job's result is kept when the submitter does not say, 1 to
 *                         {@link #MAX_RESULT_TTL_SECONDS}
 * @param maxConcurrency   jobs running at once on this instance, {@code > 0}
 * @param leaseSeconds     how long a running job's lease holds before another instance may take the job over
 *                         (renewed every third of it while the job runs), {@code > 0}
 * @param maxAttempts      claims a job gets before it is failed with {@code attempts_exhausted}, {@code > 0}
 */
public record AsyncSettings(int resultTtlSeconds, int maxConcurrency, int leaseSeconds, int maxAttempts) {

    public static final int DEFAULT_RESULT_TTL_SECONDS = 3600;
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    public static final int DEFAULT_LEASE_SECONDS = 60;
    public static final int DEFAULT_MAX_ATTEMPTS = ExecutorSettings.DEFAULT_MAX_ATTEMPTS;
    /** The longest a result may be kept (30 days), the engine's bound. */
    public static final int MAX_RESULT_TTL_SECONDS = (int) AsyncJobService.MAX_RESULT_TTL.toSeconds();

    public AsyncSettings(int resultTtlSeconds, int maxConcurrency) {
        this(resultTtlSeconds, maxConcurrency, DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS);
    }

    public AsyncSettings {
        if (resultTtlSeconds <= 0 || resultTtlSeconds > MAX_RESULT_TTL_SECONDS) {
            throw new IllegalArgumentException("async.result_ttl_seconds: " + resultTtlSeconds + " (expected: 1 to "
                    + MAX_RESULT_TTL_SECONDS + ")");
        }
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("async.max_concurrency: " + maxConcurrency + " (expected: > 0)");
        }
        if (leaseSeconds <= 0) {
            throw new IllegalArgumentException("async.lease_seconds: " + leaseSeconds + " (expected: > 0)");
        }
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("async.max_attempts: " + maxAttempts + " (expected: > 0)");
        }
    }

    public static AsyncSettings defaults() {
        return new AsyncSettings(DEFAULT_RESULT_TTL_SECONDS, DEFAULT_MAX_CONCURRENCY);
    }
}
