package dev.sluice.server.config;

/**
 * The {@code batch:} section.
 *
 * @param maxConcurrencyPerBatch lines of one batch in flight at once, {@code > 0}
 * @param maxActiveBatches       batches running at once on this instance, {@code > 0}
 * @param leaseSeconds           how long a running batch's lease holds before another instance may take the batch
 *                               over (renewed every third of it while the batch runs), {@code > 0}
 */
public record BatchSettings(int maxConcurrencyPerBatch, int maxActiveBatches, int leaseSeconds) {

    public static final int DEFAULT_MAX_CONCURRENCY_PER_BATCH = 32;
    public static final int DEFAULT_MAX_ACTIVE_BATCHES = 4;
    public static final int DEFAULT_LEASE_SECONDS = 60;

    public BatchSettings(int maxConcurrencyPerBatch, int maxActiveBatches) {
        this(maxConcurrencyPerBatch, maxActiveBatches, DEFAULT_LEASE_SECONDS);
    }

    public BatchSettings {
        if (maxConcurrencyPerBatch <= 0) {
            throw new IllegalArgumentException("batch.max_concurrency_per_batch: " + maxConcurrencyPerBatch + " (expected: > 0)");
        }
        if (maxActiveBatches <= 0) {
            throw new IllegalArgumentException("batch.max_active_batches: " + maxActiveBatches + " (expected: > 0)");
        }
        if (leaseSeconds <= 0) {
            throw new IllegalArgumentException("batch.lease_seconds: " + leaseSeconds + " (expected: > 0)");
        }
    }

    public static BatchSettings defaults() {
        return new BatchSettings(DEFAULT_MAX_CONCURRENCY_PER_BATCH, DEFAULT_MAX_ACTIVE_BATCHES);
    }
}
