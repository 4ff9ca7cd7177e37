package dev.sluice.server.config;

/**
 * The {@code async:} section.
 *
 * @param resultTtlSeconds how long a finished job's result is kept when the submitter does not say, {@code > 0}
 * @param maxConcurrency   jobs running at once on this instance, {@code > 0}
 * @param leaseSeconds     how long a running job's lease holds before another instance may take the job over
 *                         (renewed every third of it while the job runs), {@code > 0}
 */
public record AsyncSettings(int resultTtlSeconds, int maxConcurrency, int leaseSeconds) {

    public static final int DEFAULT_RESULT_TTL_SECONDS = 3600;
    public static final int DEFAULT_MAX_CONCURRENCY = 64;
    public static final int DEFAULT_LEASE_SECONDS = 60;

    public AsyncSettings(int resultTtlSeconds, int maxConcurrency) {
        this(resultTtlSeconds, maxConcurrency, DEFAULT_LEASE_SECONDS);
    }

    public AsyncSettings {
        if (resultTtlSeconds <= 0) {
            throw new IllegalArgumentException("async.result_ttl_seconds: " + resultTtlSeconds + " (expected: > 0)");
        }
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("async.max_concurrency: " + maxConcurrency + " (expected: > 0)");
        }
        if (leaseSeconds <= 0) {
            throw new IllegalArgumentException("async.lease_seconds: " + leaseSeconds + " (expected: > 0)");
        }
    }

    public static AsyncSettings defaults() {
        return new AsyncSettings(DEFAULT_RESULT_TTL_SECONDS, DEFAULT_MAX_CONCURRENCY);
    }
}
