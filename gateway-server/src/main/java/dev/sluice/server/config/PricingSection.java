package dev.sluice.server.config;

import dev.sluice.core.routing.ModelPattern;
import dev.sluice.core.usage.Pricing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code pricing:} section: USD per million tokens, by {@code provider/model} glob. Entries keep
 * the file's order, and the first that matches a model sets its price.
 */
final class PricingSection {

    static final String NAME = "pricing";
    private static final List<String> KEYS = List.of("input", "output", "expected_output_tokens");
    private static final String EXPECTED_ENTRY = "a map such as {input: 0.15, output: 0.60}, USD per million tokens";

    private PricingSection() {
    }

    static Pricing read(ConfigNode root) {
        ConfigNode pricing = root.map(NAME).orElse(null);
        if (pricing == null || pricing.keys().isEmpty()) {
            return Pricing.FREE;
        }
        List<Pricing.Entry> entries = new ArrayList<>();
        for (String glob : pricing.keys()) {
            ModelPattern model = ModelGlobs.of(glob, pricing.pathOf(glob), pricing);
            Object raw = pricing.raw(glob);
            if (!(raw instanceof Map<?, ?>)) {
                throw pricing.problem(glob, (raw == null ? "empty" : ConfigNode.describe(raw)) + " (expected: " + EXPECTED_ENTRY + ")");
            }
            ConfigNode entry = pricing.map(glob).orElseThrow();
            entry.requireOnly(KEYS);
            double input = price(entry, "input");
            double output = price(entry, "output");
            long expectedOutput = entry.positiveInteger("expected_output_tokens", (int) Pricing.DEFAULT_EXPECTED_OUTPUT_TOKENS);
            entries.add(entry.validated(() -> new Pricing.Entry(model, input, output, expectedOutput)));
        }
        return new Pricing(entries);
    }

    private static double price(ConfigNode entry, String key) {
        BigDecimal price = entry.decimal(key)
                .orElseThrow(() -> entry.problem(key, "missing (expected: USD per million " + key + " tokens, a number >= 0)"));
        if (price.signum() < 0) {
            throw entry.problem(key, price.toPlainString() + " (expected: a number >= 0)");
        }
        return price.doubleValue();
    }
}
