package dev.sluice.core.usage;

/**
 * Tokens of one answer as the provider reported them.
 *
 * @param input  prompt/input tokens
 * @param output completion/output tokens
 */
public record TokenCounts(long input, long output) {

    public static final TokenCounts NONE = new TokenCounts(0, 0);

    /** These counts with every non-zero count of {@code later} taking precedence: a stream may report them in parts. */
    public TokenCounts merge(TokenCounts later) {
        return new TokenCounts(later.input != 0 ? later.input : input, later.output != 0 ? later.output : output);
    }

    public long total() {
        return input + output;
    }
}
