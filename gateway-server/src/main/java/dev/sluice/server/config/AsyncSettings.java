package dev.sluice.server.config;

/**
 * The {@code async:} section.
 *
 * @param resultTtlSeconds how long a finished job's result is kept when the submitter does not say, {@code > 0}
 * @param maxConcurrency   jobs running at once on this instance, {@code > 0}
 */
public record AsyncSettings(int resultTtlSeconds, int maxConcurrency) {

    public static final int DEFAULT_RESULT_TTL_SECONDS = 3600;
    public static final int DEFAULT_MAX_CONCURRENCY = 64;

    public AsyncSettings {
        if (resultTtlSeconds <= 0) {
            throw new IllegalArgumentException("async.result_ttl_seconds: " + resultTtlSeconds + " (expected: > 0)");
        }
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("async.max_concurrency: " + maxConcurrency + " (expected: > 0)");
        }
    }

    public static AsyncSettings defaults() {
        return new AsyncSettings(DEFAULT_RESULT_TTL_SECONDS, DEFAULT_MAX_CONCURRENCY);
    }
}
