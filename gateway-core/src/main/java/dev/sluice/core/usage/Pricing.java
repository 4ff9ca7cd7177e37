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

    /**
     * @param model  glob over {@code provider/model}
     * @param input  USD per million input tokens, {@code >= 0}
     * @param output USD per million output tokens, {@code >= 0}
     */
    public record Entry(ModelPattern model, double input, double output) {
        public Entry {
            if (!(input >= 0) || !(output >= 0) || Double.isInfinite(input) || Double.isInfinite(output)) {
                throw new IllegalArgumentException("pricing." + model + ": input " + input + ", output " + output + " (expected: numbers >= 0)");
            }
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
}
