package dev.sluice.core.usage;

/**
 * Tokens of one answer as the provider reported them.
 *
 * @param input  prompt/input tokens
 * @param output completion/output tokens
 */
public record TokenCounts(long input, long output) {

    public static final TokenCounts NONE = new TokenCounts(0, 0);

    public long total() {
        return input + output;
    }
}
