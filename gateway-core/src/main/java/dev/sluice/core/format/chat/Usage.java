package dev.sluice.core.format.chat;

/** Token counts of one call; cached and reasoning tokens are included in input and output respectively. */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    /** This usage with every non-zero count of {@code other} taking precedence. */
    public Usage merge(Usage other) {
        if (other == null) {
            return this;
        }
        return new Usage(
                other.inputTokens != 0 ? other.inputTokens : inputTokens,
                other.outputTokens != 0 ? other.outputTokens : outputTokens,
                other.cachedInputTokens != 0 ? other.cachedInputTokens : cachedInputTokens,
                other.reasoningTokens != 0 ? other.reasoningTokens : reasoningTokens);
    }
}
