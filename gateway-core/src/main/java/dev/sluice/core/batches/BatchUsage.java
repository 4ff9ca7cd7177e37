package dev.sluice.core.batches;

/** Tokens used by a batch's answered lines, as reported by the providers. */
public record BatchUsage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens) {

    public static final BatchUsage NONE = new BatchUsage(0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
