package dev.sluice.core.usage;

import dev.sluice.core.routing.ModelPattern;

import java.util.List;

/**
 * USD per million tokens by {@code provider/model} glob; the first matching entry wins, and a model no entry
 * matches costs nothing.
 */
public record Pricing(List<Entry> entries) {

    public static final Pricing FREE = new Pricing(List.of());

    public Pricing {
        entries = List.copyOf(entries);
    }

    /** The output a request that names no {@code max_tokens} is assumed to produce, when its entry does not say. */
    public static final long DEFAULT_EXPECTED_OUTPUT_TOKENS = 1024;

    /**
     * @param model                glob over {@code provider/model}
     * @param input                USD per million input tokens, {@code >= 0}
     * @param output               USD per million output tokens, {@code >= 0}
     * @param expectedOutputTokens the output reserved against a budget for a request that names no limit, {@code > 0}
     */
    public record Entry(ModelPattern model, double input, double output, long expectedOutputTokens) {
        public Entry {
            if (!(input >= 0) || !(output >= 0) || Double.isInfinite(input) || Double.isInfinite(output)) {
                throw new IllegalArgumentException("pricing." + model + ": input " + input + ", output " + output + " (expected: numbers >= 0)");
            }
            if (expectedOutputTokens <= 0) {
                throw new IllegalArgumentException("pricing." + model + ".expected_output_tokens: " + expectedOutputTokens + " (expected: > 0)");
            }
        }

        public Entry(ModelPattern model, double input, double output) {
            this(model, input, output, DEFAULT_EXPECTED_OUTPUT_TOKENS);
        }
    }

    /**
     * The cost in micro-dollars. A price per million tokens is exactly micro-dollars per token, so this is
     * tokens times price, rounded.
     */
    public long costMicros(String providerAndModel, long inputTokens, long outputTokens) {
        for (Entry entry : entries) {
            if (entry.model().matches(providerAndModel)) {
                return Math.round(inputTokens * entry.input() + outputTokens * entry.output());
            }
        }
        return 0;
    }

    /** How many output tokens to reserve for a request to this model that names no limit of its own. */
    public long expectedOutputTokens(String providerAndModel) {
        for (Entry entry : entries) {
            if (entry.model().matches(providerAndModel)) {
                return entry.expectedOutputTokens();
            }
        }
        return DEFAULT_EXPECTED_OUTPUT_TOKENS;
    }
}
