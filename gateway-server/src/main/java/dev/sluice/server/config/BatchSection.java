package dev.sluice.server.config;

import java.util.List;

/** Reads the {@code batch:} section; every key is optional. */
final class BatchSection {

    static final String NAME = "batch";
    private static final List<String> KEYS = List.of("lease_seconds", "max_active_batches", "max_attempts", "max_concurrency_per_batch", "max_line_bytes", "max_lines");

    private BatchSection() {
    }

    static BatchSettings read(ConfigNode root) {
        return root.map(NAME).map(BatchSection::read0).orElseGet(BatchSettings::defaults);
    }

    private static BatchSettings read0(ConfigNode batch) {
        batch.requireOnly(KEYS);
        int perBatch = batch.positiveInteger("max_concurrency_per_batch", BatchSettings.DEFAULT_MAX_CONCURRENCY_PER_BATCH);
        int active = batch.positiveInteger("max_active_batches", BatchSettings.DEFAULT_MAX_ACTIVE_BATCHES);
        int lease = batch.positiveInteger("lease_seconds", BatchSettings.DEFAULT_LEASE_SECONDS);
        int attempts = batch.positiveInteger("max_attempts", BatchSettings.DEFAULT_MAX_ATTEMPTS);
        int lines = batch.positiveInteger("max_lines", BatchSettings.DEFAULT_MAX_LINES);
        int lineBytes = batch.positiveInteger("max_line_bytes", BatchSettings.DEFAULT_MAX_LINE_BYTES);
        return batch.validated(() -> new BatchSettings(perBatch, active, lease, attempts, lines, lineBytes));
    }
}
