package dev.sluice.server.config;

import dev.sluice.core.usage.Pricing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The {@code pricing:} section. */
class ConfigPricingTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";

    @Test
    void readsEntriesInTheFilesOrder() {
        Pricing pricing = parse("""
                pricing:
                  "openai/gpt-4o-mini*": {input: 0.15, output: 0.60}
                  "openai/*": {input: 2.5, output: 10}
                  "demo/echo": {input: 0, output: 0}
                """);

        assertThat(pricing.entries())
                .extracting(entry -> entry.model().toString(), Pricing.Entry::input, Pricing.Entry::output)
                .containsExactly(
                        tuple("openai/gpt-4o-mini*", 0.15, 0.60),
                        tuple("openai/*", 2.5, 10.0),
                        tuple("demo/echo", 0.0, 0.0));
    }

    @Test
    void letsTheFirstMatchingEntrySetThePrice() {
        Pricing pricing = parse("""
                pricing:
                  "openai/gpt-4o-mini*": {input: 0.15, output: 0.60}
                  "openai/*": {input: 2.5, output: 10}
                """);

        // A price per million tokens is micro-dollars per token.
        assertThat(pricing.costMicros("openai/gpt-4o-mini-2024-07-18", 1000, 100)).isEqualTo(150 + 60);
        assertThat(pricing.costMicros("openai/gpt-4o", 1000, 100)).isEqualTo(2500 + 1000);
        assertThat(pricing.costMicros("demo/echo", 1000, 100)).isZero();
    }

    @Test
    void readsPricesFromTheEnvironment() {
        Pricing pricing = loader(Map.of("IN", "0.5", "OUT", "1")).parse(
                "pricing: {\"demo/*\": {input: \"${IN}\", output: \"${OUT}\"}}\n" + DEMO, "sluice.yaml").pricing();

        assertThat(pricing.entries()).extracting(Pricing.Entry::input, Pricing.Entry::output).containsExactly(tuple(0.5, 1.0));
    }

    @Test
    void readsAnAbsentOrEmptySectionAsFree() {
        assertThat(parse("")).isSameAs(Pricing.FREE);
        assertThat(parse("pricing:\n")).isSameAs(Pricing.FREE);
        assertThat(parse("pricing: {}\n")).isSameAs(Pricing.FREE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.15", "[0.15, 0.60]", "cheap"})
    void rejectsAnEntryThatIsNotAMap(String entry) {
        String shown = switch (entry) {
            case "[0.15, 0.60]" -> "a list";
            case "cheap" -> "\"cheap\"";
            default -> entry;
        };
        assertFails("pricing: {\"openai/gpt-4o-mini\": " + entry + "}",
                "pricing.openai/gpt-4o-mini: " + shown + " (expected: a map such as {input: 0.15, output: 0.60}, USD per million tokens)");
    }

    @Test
    void rejectsAnEmptyEntry() {
        assertFails("pricing:\n  \"openai/gpt-4o-mini\":\n",
                "pricing.openai/gpt-4o-mini: empty (expected: a map such as {input: 0.15, output: 0.60}, USD per million tokens)");
    }

    @Test
    void rejectsANegativePrice() {
        assertFails("pricing: {\"openai/*\": {input: 0.15, output: -0.6}}", "pricing.openai/*.output: -0.6 (expected: a number >= 0)");
    }

    @Test
    void rejectsAMissingPrice() {
        assertFails("pricing: {\"openai/*\": {output: 0.6}}",
                "pricing.openai/*.input: missing (expected: USD per million input tokens, a number >= 0)");
        assertFails("pricing: {\"openai/*\": {input: 0.15}}",
                "pricing.openai/*.output: missing (expected: USD per million output tokens, a number >= 0)");
    }

    @Test
    void rejectsAPriceThatIsNotANumber() {
        assertFails("pricing: {\"openai/*\": {input: free, output: 0}}", "pricing.openai/*.input: \"free\" (expected: a number)");
    }

    @Test
    void readsTheExpectedOutputThatBudgetsReserve() {
        Pricing pricing = parse("""
                pricing:
                  "openai/o3*": {input: 2, output: 8, expected_output_tokens: 8000}
                  "openai/*": {input: 1, output: 2}
                """);

        assertThat(pricing.expectedOutputTokens("openai/o3-mini")).isEqualTo(8000);
        assertThat(pricing.expectedOutputTokens("openai/gpt-4o")).isEqualTo(Pricing.DEFAULT_EXPECTED_OUTPUT_TOKENS);
        assertThat(pricing.expectedOutputTokens("demo/echo")).isEqualTo(Pricing.DEFAULT_EXPECTED_OUTPUT_TOKENS);
    }

    @Test
    void rejectsAnExpectedOutputThatIsNotPositive() {
        assertFails("pricing: {\"openai/*\": {input: 1, output: 2, expected_output_tokens: 0}}",
                "pricing.openai/*.expected_output_tokens: 0 (expected: > 0)");
    }

    @Test
    void rejectsAnUnknownKeyInAnEntry() {
        assertFails("pricing: {\"openai/*\": {input: 1, output: 2, cached_input: 0.5}}",
                "pricing.openai/*.cached_input: unknown key (expected one of: input, output, expected_output_tokens)");
    }

    @Test
    void rejectsAGlobThatCouldNeverMatch() {
        assertFails("pricing: {gpt-4o-mini: {input: 0.15, output: 0.6}}",
                "pricing.gpt-4o-mini: \"gpt-4o-mini\" (expected: provider/model such as openai/gpt-4o-mini, or a glob such as openai/* or *)");
    }

    @Test
    void rejectsASectionThatIsNotAMap() {
        assertFails("pricing: [\"openai/*\"]", "pricing: a list (expected: a map)");
    }

    @Test
    void rejectsTheSameGlobTwice() {
        assertThatThrownBy(() -> parse("pricing:\n  \"openai/*\": {input: 1, output: 1}\n  \"openai/*\": {input: 2, output: 2}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sluice.yaml: line 3, column 3: found duplicate key openai/*");
    }

    private static Pricing parse(String yaml) {
        return loader(Map.of()).parse(yaml + DEMO, "sluice.yaml").pricing();
    }

    private static void assertFails(String yaml, String problem) {
        assertThatThrownBy(() -> parse(yaml + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml: " + problem);
    }
}
