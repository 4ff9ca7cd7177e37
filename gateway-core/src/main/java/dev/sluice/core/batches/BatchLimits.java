package dev.sluice.core.batches;

import dev.sluice.core.files.JsonLines;

/**
 * What one batch's input file may hold, checked line by line while the batch validates: a file past a limit fails
 * the batch with an error that names the line and the limit, before any line is sent upstream.
 *
 * @param maxLines     requests in one file (OpenAI's limit, 50,000, by default)
 * @param maxLineBytes bytes in one line
 */
public record BatchLimits(int maxLines, int maxLineBytes) {

    public static final int DEFAULT_MAX_LINES = 50_000;

    /** The longest {@code custom_id}: the store keeps it with each line's result, and an error message quotes it. */
    public static final int MAX_CUSTOM_ID_LENGTH = 512;

    public static final BatchLimits DEFAULTS = new BatchLimits(DEFAULT_MAX_LINES, JsonLines.DEFAULT_MAX_LINE_BYTES);

    public BatchLimits {
        if (maxLines <= 0) {
            throw new IllegalArgumentException("batch.max_lines: " + maxLines + " (expected: > 0)");
        }
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("batch.max_line_bytes: " + maxLineBytes + " (expected: > 0)");
        }
    }
}
