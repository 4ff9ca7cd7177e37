package dev.sluice.server.config;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.routing.ModelPattern;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code virtual_keys:} section: a list of keys callers present instead of provider keys. A value
 * is a secret, so no message ever repeats it.
 */
final class VirtualKeysSection {

    static final String NAME = "virtual_keys";
    private static final List<String> KEYS =
            List.of("active", "allowed_models", "budget", "expires_at", "name", "rate_limit", "value");
    private static final List<String> RATE_LIMIT_KEYS = List.of("requests_per_minute", "tokens_per_minute");
    private static final List<String> BUDGET_KEYS = List.of("max_usd", "reset");
    private static final String RESET_CODES = "1m, 1h, 1d, 1w, 1M";

    private VirtualKeysSection() {
    }

    static List<VirtualKeySpec> read(ConfigNode root) {
        List<VirtualKeySpec> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> pathByValue = new HashMap<>();
        for (ConfigNode node : root.maps(NAME)) {
            VirtualKeySpec key = key(node, true);
            if (!names.add(key.name())) {
                throw node.problem("name", ConfigNode.describe(key.name()) + " (expected: a name no other virtual key has)");
            }
            String earlier = pathByValue.putIfAbsent(key.value(), node.path());
            if (earlier != null) {
                throw node.problem("value", "the same as " + earlier + ".value (expected: a value no other virtual key has)");
            }
            keys.add(key);
        }
        return keys;
    }

    /**
     * One key's declaration.
     *
     * @param valueRequired false where the gateway generates a value when none is given (the admin API)
     */
    static VirtualKeySpec key(ConfigNode node, boolean valueRequired) {
        node.requireOnly(KEYS);
        String name = node.string("name")
                .orElseThrow(() -> node.problem("name", "missing (expected: a unique name such as team-a)"));
        if (name.chars().anyMatch(Character::isISOControl)) {
            // Names are shown in lists, logs and URLs; a control character in one is a mistake or an attack.
            throw node.problem("name", ConfigNode.describe(name) + " (expected: a name without control characters)");
        }
        String value = valueRequired || node.has("value") ? value(node) : null;
        List<ModelPattern> allowedModels = ModelGlobs.read(node, "allowed_models");
        if (node.has("allowed_models") && allowedModels.isEmpty()) {
            // An empty list would allow every model, the opposite of what it looks like.
            throw node.problem("allowed_models", "an empty list (expected: at least one provider/model glob;"
                    + " leave the key out, or use [\"*\"], to allow every model)");
        }
        RateLimit rateLimit = node.map("rate_limit").map(VirtualKeysSection::rateLimit).orElse(null);
        Budget budget = budget(node);
        boolean active = node.bool("active", true);
        Instant expiresAt = expiresAt(node);
        return node.validatedFields(() -> new VirtualKeySpec(name, value, allowedModels, rateLimit, budget, active, expiresAt));
    }

    private static String value(ConfigNode node) {
        // Surrounding whitespace in a secret is a copy-and-paste accident (a trailing newline), never meant.
        String value = node.secret("value").orElseThrow(() -> node.problem("value",
                "missing (expected: " + VirtualKeyValues.PREFIX + "..., usually from the environment: ${TEAM_A_KEY})")).strip();
        if (value.isEmpty()) {
            // Unlike an optional provider key, a declared virtual key without a value is a mistake, not a skip.
            throw node.problem("value", "empty (expected: " + VirtualKeyValues.PREFIX + "...)");
        }
        if (!VirtualKeyValues.looksLikeVirtualKey(value)) {
            boolean onlyPrefix = value.equalsIgnoreCase(VirtualKeyValues.PREFIX);
            throw node.problem("value", (onlyPrefix ? "nothing after " : "does not start with ") + VirtualKeyValues.PREFIX
                    + " (expected: " + VirtualKeyValues.PREFIX + "<anything>)");
        }
        return value;
    }

    private static @Nullable RateLimit rateLimit(ConfigNode node) {
        node.requireOnly(RATE_LIMIT_KEYS);
        Integer requests = node.optionalPositiveInteger("requests_per_minute").orElse(null);
        Integer tokens = node.optionalPositiveInteger("tokens_per_minute").orElse(null);
        return requests == null && tokens == null ? null : new RateLimit(requests, tokens);
    }

    /** Built at the key's level: {@link Budget} names its own fields as {@code budget.max_usd}. */
    private static @Nullable Budget budget(ConfigNode key) {
        ConfigNode node = key.map("budget").orElse(null);
        if (node == null) {
            return null;
        }
        node.requireOnly(BUDGET_KEYS);
        BigDecimal maxUsd = node.decimal("max_usd")
                .orElseThrow(() -> node.problem("max_usd", "missing (expected: a number >= 0, in USD)"));
        ResetPeriod reset = reset(node);
        return key.validatedFields(() -> new Budget(maxUsd.doubleValue(), reset));
    }

    /** {@code 1d} and {@code 1M} are text to YAML; a bare number such as {@code 1} is not a period. */
    private static @Nullable ResetPeriod reset(ConfigNode node) {
        Object raw = node.raw("reset");
        if (raw == null) {
            return null;
        }
        if (raw instanceof String text) {
            try {
                return ResetPeriod.parse(text.strip());
            } catch (IllegalArgumentException e) {
                // reported below, quoted like every other text value
            }
        }
        throw node.problem("reset", ConfigNode.describe(raw) + " (expected one of: " + RESET_CODES
                + "; leave the key out for a budget that never resets)");
    }

    /**
     * SnakeYAML reads an unquoted timestamp into a {@link Date} (a timestamp without a zone is UTC, as YAML
     * says); quoted or substituted from the environment it stays text, read as RFC 3339 with an offset.
     */
    private static @Nullable Instant expiresAt(ConfigNode node) {
        Object raw = node.raw("expires_at");
        String expected = " (expected: an RFC 3339 time with a zone, such as 2027-01-01T00:00:00Z)";
        return switch (raw) {
            case null -> null;
            case Date date -> date.toInstant();
            case String text -> {
                try {
                    yield OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                } catch (DateTimeParseException e) {
                    throw node.problem("expires_at", ConfigNode.describe(raw) + expected);
                }
            }
            default -> throw node.problem("expires_at", ConfigNode.describe(raw) + expected);
        };
    }
}
