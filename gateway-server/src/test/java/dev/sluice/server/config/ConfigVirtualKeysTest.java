package dev.sluice.server.config;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code virtual_keys:} section. Every failing case also checks that the secret value is not repeated. */
class ConfigVirtualKeysTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";
    /** The value used in the failing cases; no message may contain it. */
    private static final String SECRET = "sk-bf-Secret-0001";

    @Test
    void readsEveryField() {
        List<VirtualKeySpec> keys = parse(Map.of(), """
                virtual_keys:
                  - name: team-a
                    value: sk-bf-team-a-0001
                    allowed_models: ["openai/*", "demo/*"]
                    rate_limit: {requests_per_minute: 600, tokens_per_minute: 200000}
                    budget: {max_usd: 25.0, reset: 1M}
                    active: true
                    expires_at: 2027-01-01T00:00:00Z
                """).virtualKeys();

        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.name()).isEqualTo("team-a");
            assertThat(key.value()).isEqualTo("sk-bf-team-a-0001");
            assertThat(key.allowedModels()).hasToString("[openai/*, demo/*]");
            assertThat(key.rateLimit()).isEqualTo(new RateLimit(600, 200_000));
            assertThat(key.budget()).isEqualTo(new Budget(25.0, ResetPeriod.MONTH));
            assertThat(key.active()).isTrue();
            assertThat(key.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        });
    }

    @Test
    void defaultsEverythingButNameAndValue() {
        VirtualKeySpec key = parse(Map.of(), "virtual_keys: [{name: ci, value: sk-bf-ci}]\n").virtualKeys().get(0);

        assertThat(key).isEqualTo(new VirtualKeySpec("ci", "sk-bf-ci", List.of(), null, null, true, null));
    }

    @Test
    void readsAnEmptyOrAbsentSectionAsNoKeys() {
        assertThat(parse(Map.of(), "").virtualKeys()).isEmpty();
        assertThat(parse(Map.of(), "virtual_keys:\n").virtualKeys()).isEmpty();
        assertThat(parse(Map.of(), "virtual_keys: []\n").virtualKeys()).isEmpty();
    }

    @Test
    void keepsTheFilesOrder() {
        assertThat(parse(Map.of(), """
                virtual_keys:
                  - {name: zeta, value: sk-bf-z}
                  - {name: alpha, value: sk-bf-a}
                  - {name: mid, value: sk-bf-m}
                """).virtualKeys()).extracting(VirtualKeySpec::name).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void takesValuesFromTheEnvironmentAndStripsThem() {
        VirtualKeySpec key = parse(Map.of("TEAM_A_KEY", "sk-bf-from-env\n", "TEAM_A_RPM", "60", "TEAM_A_BUDGET", "2.5"), """
                virtual_keys:
                  - name: team-a
                    value: ${TEAM_A_KEY}
                    rate_limit: {requests_per_minute: "${TEAM_A_RPM}"}
                    budget: {max_usd: "${TEAM_A_BUDGET}"}
                    active: "${TEAM_A_ACTIVE:-false}"
                    expires_at: "${TEAM_A_EXPIRES:-2030-06-30T12:00:00+02:00}"
                """).virtualKeys().get(0);

        assertThat(key.value()).isEqualTo("sk-bf-from-env");
        assertThat(key.rateLimit()).isEqualTo(new RateLimit(60, null));
        assertThat(key.budget()).isEqualTo(new Budget(2.5, null));
        assertThat(key.active()).isFalse();
        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2030-06-30T10:00:00Z"));
    }

    @Test
    void acceptsThePrefixInAnyCase() {
        assertThat(parse(Map.of(), "virtual_keys: [{name: a, value: SK-BF-upper}]\n").virtualKeys().get(0).value())
                .isEqualTo("SK-BF-upper");
    }

    @ParameterizedTest
    @CsvSource({"1m, MINUTE", "1h, HOUR", "1d, DAY", "1w, WEEK", "1M, MONTH"})
    void readsEveryResetCodeAsText(String code, ResetPeriod period) {
        assertThat(budgetOf("{max_usd: 1, reset: " + code + "}")).isEqualTo(new Budget(1, period));
        assertThat(budgetOf("{max_usd: 1, reset: \"" + code + "\"}")).isEqualTo(new Budget(1, period));
    }

    @Test
    void readsABudgetWithoutResetAsNeverResetting() {
        assertThat(budgetOf("{max_usd: 0}")).isEqualTo(new Budget(0, null));
        assertThat(budgetOf("{max_usd: 10, reset: }")).isEqualTo(new Budget(10, null));
    }

    @Test
    void readsOneBoundOfARateLimit() {
        assertThat(rateLimitOf("{tokens_per_minute: 1000}")).isEqualTo(new RateLimit(null, 1000));
        assertThat(rateLimitOf("{}")).isNull();
    }

    @Test
    void readsTimestampsWrittenInEveryWay() {
        // Unquoted, YAML reads a timestamp itself (as UTC when no zone is written); quoted, it is RFC 3339 text.
        assertThat(expiresAtOf("2027-01-01T00:00:00Z")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(expiresAtOf("2027-01-01T02:00:00+02:00")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(expiresAtOf("2027-01-01 00:00:00")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(expiresAtOf("\"2027-01-01T00:00:00.5Z\"")).isEqualTo(Instant.parse("2027-01-01T00:00:00.500Z"));
        assertThat(expiresAtOf("\"2027-01-01T02:00:00+02:00\"")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(expiresAtOf("!!timestamp 2027-01-01T00:00:00Z")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void readsActiveFalse() {
        assertThat(parse(Map.of(), "virtual_keys: [{name: a, value: sk-bf-a, active: false}]\n").virtualKeys().get(0).active())
                .isFalse();
    }

    // --- errors -----------------------------------------------------------------------------------------------

    @Test
    void rejectsAnUnknownKey() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", allowed: [\"*\"]}]",
                "virtual_keys[0].allowed: unknown key (expected one of: active, allowed_models, budget, expires_at, name, rate_limit, value)");
    }

    @Test
    void rejectsAnUnknownRateLimitKey() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", rate_limit: {requests_per_second: 5}}]",
                "virtual_keys[0].rate_limit.requests_per_second: unknown key (expected one of: requests_per_minute, tokens_per_minute)");
    }

    @Test
    void rejectsAnUnknownBudgetKey() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", budget: {max_usd: 1, period: 1d}}]",
                "virtual_keys[0].budget.period: unknown key (expected one of: max_usd, reset)");
    }

    @Test
    void rejectsASectionThatIsNotAList() {
        assertFails("virtual_keys: {team-a: {value: " + SECRET + "}}", "virtual_keys: a map (expected: a list, such as [a, b])");
    }

    @Test
    void rejectsAnEntryThatIsNotAMap() {
        assertFails("virtual_keys: [" + SECRET + "]", "virtual_keys[0]: text (expected: a map)");
    }

    @Test
    void rejectsAMissingName() {
        assertFails("virtual_keys: [{value: " + SECRET + "}]", "virtual_keys[0].name: missing (expected: a unique name such as team-a)");
    }

    @Test
    void rejectsABlankName() {
        assertFails("virtual_keys: [{name: \" \", value: " + SECRET + "}]",
                "virtual_keys[0].name: \" \" (expected: 1 to 200 characters)");
    }

    @Test
    void rejectsAMissingValue() {
        assertFails("virtual_keys: [{name: a}]",
                "virtual_keys[0].value: missing (expected: sk-bf-..., usually from the environment: ${TEAM_A_KEY})");
    }

    @Test
    void rejectsAValueThatIsEmptyAfterSubstitutionInsteadOfSkippingTheKey() {
        assertFails("virtual_keys:\n  - {name: a, value: " + SECRET + "}\n  - {name: b, value: \"${TEAM_B_KEY:-}\"}",
                "virtual_keys[1].value: empty (expected: sk-bf-...)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-Secret-0001", "Secret-0001-sk-bf-", "bf-sk-Secret"})
    void rejectsAValueWithoutThePrefix(String value) {
        assertFails("virtual_keys: [{name: a, value: " + value + "}]",
                "virtual_keys[0].value: does not start with sk-bf- (expected: sk-bf-<anything>)", value);
    }

    @Test
    void rejectsAValueThatIsOnlyThePrefix() {
        assertFails("virtual_keys: [{name: a, value: SK-bf-}]",
                "virtual_keys[0].value: nothing after sk-bf- (expected: sk-bf-<anything>)");
    }

    @Test
    void rejectsAValueThatIsNotText() {
        assertFails("virtual_keys: [{name: a, value: 12345678}]", "virtual_keys[0].value: a number (expected: text; quote it)", "12345678");
    }

    @Test
    void rejectsTwoKeysWithTheSameName() {
        assertFails("virtual_keys: [{name: a, value: sk-bf-other}, {name: a, value: " + SECRET + "}]",
                "virtual_keys[1].name: \"a\" (expected: a name no other virtual key has)");
    }

    @Test
    void rejectsTwoKeysWithTheSameValue() {
        assertFails("virtual_keys: [{name: a, value: sk-bf-a}, {name: b, value: " + SECRET + "}, {name: c, value: \" " + SECRET + "\"}]",
                "virtual_keys[2].value: the same as virtual_keys[1].value (expected: a value no other virtual key has)");
    }

    @Test
    void rejectsAnEmptyAllowedModelsList() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", allowed_models: []}]",
                "virtual_keys[0].allowed_models: an empty list (expected: at least one provider/model glob;"
                        + " leave the key out, or use [\"*\"], to allow every model)");
    }

    @Test
    void rejectsAnAllowedModelThatCouldNeverMatch() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", allowed_models: [\"openai/*\", gpt-4o]}]",
                "virtual_keys[0].allowed_models[1]: \"gpt-4o\" (expected: provider/model such as openai/gpt-4o-mini,"
                        + " or a glob such as openai/* or *)");
    }

    @Test
    void rejectsAnAllowedModelThatIsNotText() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", allowed_models: [5]}]",
                "virtual_keys[0].allowed_models[0]: 5 (expected: non-empty text)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1y", "1D", "2d", "daily", "\"\""})
    void rejectsAnUnknownResetCode(String code) {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", budget: {max_usd: 1, reset: " + code + "}}]",
                "virtual_keys[0].budget.reset: " + (code.startsWith("\"") ? code : "\"" + code + "\"")
                        + " (expected one of: 1m, 1h, 1d, 1w, 1M; leave the key out for a budget that never resets)");
    }

    @Test
    void rejectsANumberAsResetCode() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", budget: {max_usd: 1, reset: 1}}]",
                "virtual_keys[0].budget.reset: 1 (expected one of: 1m, 1h, 1d, 1w, 1M; leave the key out for a budget that never resets)");
    }

    @Test
    void rejectsANegativeBudgetNamingTheKeysPosition() {
        assertFails("virtual_keys: [{name: a, value: sk-bf-a}, {name: b, value: " + SECRET + ", budget: {max_usd: -1}}]",
                "virtual_keys[1].budget.max_usd: -1.0 (expected: a number >= 0)");
    }

    @Test
    void rejectsABudgetWithoutMaxUsd() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", budget: {reset: 1d}}]",
                "virtual_keys[0].budget.max_usd: missing (expected: a number >= 0, in USD)");
    }

    @Test
    void rejectsABudgetThatIsNotANumber() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", budget: {max_usd: lots}}]",
                "virtual_keys[0].budget.max_usd: \"lots\" (expected: a number)");
    }

    @ParameterizedTest
    @CsvSource({"requests_per_minute, 0, 0 (expected: > 0)", "tokens_per_minute, -5, -5 (expected: > 0)",
            "requests_per_minute, 1.5, 1.5 (expected: a whole number)"})
    void rejectsARateLimitThatIsNotAPositiveWholeNumber(String key, String value, String problem) {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", rate_limit: {" + key + ": " + value + "}}]",
                "virtual_keys[0].rate_limit." + key + ": " + problem);
    }

    @Test
    void rejectsARateLimitThatIsNotAMap() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", rate_limit: 600}]",
                "virtual_keys[0].rate_limit: 600 (expected: a map)");
    }

    @Test
    void rejectsAnActiveThatIsNotABoolean() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", active: sometimes}]",
                "virtual_keys[0].active: \"sometimes\" (expected: true or false)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2027-01-01\"", "\"2027-01-01T00:00:00\"", "tomorrow", "\"2027-13-01T00:00:00Z\"", "20270101"})
    void rejectsABadTimestamp(String value) {
        String shown = value.startsWith("\"") ? value : value.matches("[0-9]+") ? value : "\"" + value + "\"";
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", expires_at: " + value + "}]",
                "virtual_keys[0].expires_at: " + shown + " (expected: an RFC 3339 time with a zone, such as 2027-01-01T00:00:00Z)");
    }

    @Test
    void rejectsATimestampThatIsAMap() {
        assertFails("virtual_keys: [{name: a, value: " + SECRET + ", expires_at: {year: 2027}}]",
                "virtual_keys[0].expires_at: a map (expected: an RFC 3339 time with a zone, such as 2027-01-01T00:00:00Z)");
    }

    @Test
    void neverShowsValuesWhenPrintingTheConfiguration() {
        SluiceConfig config = parse(Map.of(), "virtual_keys: [{name: team-a, value: " + SECRET + "}]\n");

        assertThat(config.toString()).contains("virtualKeys=[team-a]").doesNotContain(SECRET);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static SluiceConfig parse(Map<String, String> env, String yaml) {
        return loader(env).parse(yaml + DEMO, "sluice.yaml");
    }

    private static Budget budgetOf(String budget) {
        return parse(Map.of(), "virtual_keys: [{name: a, value: sk-bf-a, budget: " + budget + "}]\n").virtualKeys().get(0).budget();
    }

    private static RateLimit rateLimitOf(String rateLimit) {
        return parse(Map.of(), "virtual_keys: [{name: a, value: sk-bf-a, rate_limit: " + rateLimit + "}]\n").virtualKeys().get(0).rateLimit();
    }

    private static Instant expiresAtOf(String expiresAt) {
        return parse(Map.of(), "virtual_keys:\n  - name: a\n    value: sk-bf-a\n    expires_at: " + expiresAt + "\n")
                .virtualKeys().get(0).expiresAt();
    }

    private static void assertFails(String yaml, String problem) {
        assertFails(yaml, problem, SECRET);
    }

    /** The message is exactly {@code sluice.yaml: problem}, and does not contain {@code secret} in any case. */
    private static void assertFails(String yaml, String problem, String secret) {
        assertThatThrownBy(() -> parse(Map.of(), yaml + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml: " + problem)
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).doesNotContain(secret.toLowerCase()));
    }
}
