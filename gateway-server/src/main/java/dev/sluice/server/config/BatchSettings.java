package dev.sluice.server.config;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.BatchLimits;

/**
 * The {@code batch:} section.
 *
 * @param maxConcurrencyPerBatch lines of one batch in flight at once, {@code > 0}
 * @param maxActiveBatches       batches running at once on this instance, {@code > 0}
 * @param leaseSeconds           how long a running batch's lease holds before another instance may take the batch
 *                               over (renewed every third of it while the batch runs), {@code > 0}
 * @param maxAttempts            claims a batch gets; the last one writes what was finished and fails the batch,
 *                               {@code > 0}
 * @param maxLines               requests one input file may hold, {@code > 0}
 * @param maxLineBytes           bytes one line of an input file may hold, {@code > 0}
 */
public record BatchSettings(int maxConcurrencyPerBatch, int maxActiveBatches, int leaseSeconds, int maxAttempts, int maxLines,
                            int maxLineBytes) {

    public static final int DEFAULT_MAX_CONCURRENCY_PER_BATCH = 32;
    public static final int DEFAULT_MAX_ACTIVE_BATCHES = 4;
    public static final int DEFAULT_LEASE_SECONDS = 60;
    public static final int DEFAULT_MAX_ATTEMPTS = ExecutorSettings.DEFAULT_MAX_ATTEMPTS;
    public static final int DEFAULT_MAX_LINES = BatchLimits.DEFAULT_MAX_LINES;
    public static final int DEFAULT_MAX_LINE_BYTES = BatchLimits.DEFAULTS.maxLineBytes();

    public BatchSettings(int maxConcurrencyPerBatch, int maxActiveBatches) {
        this(maxConcurrencyPerBatch, maxActiveBatches, DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_LINES,
                DEFAULT_MAX_LINE_BYTES);
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
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("batch.max_attempts: " + maxAttempts + " (expected: > 0)");
        }
        if (maxLines <= 0) {
            throw new IllegalArgumentException("batch.max_lines: " + maxLines + " (expected: > 0)");
        }
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("batch.max_line_bytes: " + maxLineBytes + " (expected: > 0)");
        }
    }

    /** What one input file may hold, as the engine takes it. */
    public BatchLimits limits() {
        return new BatchLimits(maxLines, maxLineBytes);
    }

    public static BatchSettings defaults() {
        return new BatchSettings(DEFAULT_MAX_CONCURRENCY_PER_BATCH, DEFAULT_MAX_ACTIVE_BATCHES);
    }
}
