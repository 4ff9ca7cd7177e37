package dev.sluice.core.batches;

/**
 * The batch's {@code request_counts}.
 *
 * @param total     lines in the input file
 * @param completed lines answered with a 2xx
 * @param failed    lines answered with an error, or never answered
 */
public record BatchCounts(int total, int completed, int failed) {

    public static final BatchCounts NONE = new BatchCounts(0, 0, 0);
}
