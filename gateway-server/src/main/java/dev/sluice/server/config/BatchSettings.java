package dev.sluice.server.config;

/**
 * The {@code batch:} section.
 *
 * @param maxConcurrencyPerBatch lines of one batch in flight at once, {@code > 0}
 * @param maxActiveBatches       batches running at once on this instance, {@code > 0}
 */
public record BatchSettings(int maxConcurrencyPerBatch, int maxActiveBatches) {

    public static final int DEFAULT_MAX_CONCURRENCY_PER_BATCH = 32;
    public static final int DEFAULT_MAX_ACTIVE_BATCHES = 4;

    public BatchSettings {
        if (maxConcurrencyPerBatch <= 0) {
            throw new IllegalArgumentException("batch.max_concurrency_per_batch: " + maxConcurrencyPerBatch + " (expected: > 0)");
        }
        if (maxActiveBatches <= 0) {
            throw new IllegalArgumentException("batch.max_active_batches: " + maxActiveBatches + " (expected: > 0)");
        }
    }

    public static BatchSettings defaults() {
        return new BatchSettings(DEFAULT_MAX_CONCURRENCY_PER_BATCH, DEFAULT_MAX_ACTIVE_BATCHES);
    }
}
