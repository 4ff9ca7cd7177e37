package dev.sluice.core.usage;

/**
 * Counters of one key for one period; additions are exact integer sums.
 *
 * @param requests     requests answered
 * @param inputTokens  prompt/input tokens
 * @param outputTokens completion/output tokens
 * @param costMicros   spend in micro-dollars (millionths of a US dollar)
 */
public record Usage(long requests, long inputTokens, long outputTokens, long costMicros) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(requests + other.requests, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens, costMicros + other.costMicros);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public double costUsd() {
        return costMicros / 1_000_000.0;
    }
}
