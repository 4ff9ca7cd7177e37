package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyService.KeyUsage;
import dev.sluice.core.routing.ModelPattern;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API's JSON for virtual keys and their usage. The value appears masked unless given explicitly. */
final class VirtualKeyJson {

    private final ObjectMapper json;

    VirtualKeyJson(ObjectMapper json) {
        this.json = json;
    }

    /** The key with its value masked ({@code sk-bf-...abcd}), or shown in full when {@code value} is given. */
    ObjectNode key(VirtualKey key, @Nullable String value) {
        ObjectNode node = json.createObjectNode()
                .put("object", "virtual_key")
                .put("id", key.id())
                .put("name", key.name())
                .put("value", value != null ? value : key.maskedValue());
        ArrayNode models = node.putArray("allowed_models");
        key.allowedModels().stream().map(ModelPattern::toString).forEach(models::add);
        if (key.rateLimit() == null) {
            node.putNull("rate_limit");
        } else {
            node.putObject("rate_limit")
                    .put("requests_per_minute", key.rateLimit().requestsPerMinute())
                    .put("tokens_per_minute", key.rateLimit().tokensPerMinute());
        }
        if (key.budget() == null) {
            node.putNull("budget");
        } else {
            node.putObject("budget")
                    .put("max_usd", key.budget().maxUsd())
                    .put("reset", key.budget().reset() == null ? null : key.budget().reset().code());
        }
        node.put("active", key.active());
        node.put("expires_at", text(key.expiresAt()));
        node.put("created_at", text(key.createdAt()));
        return node;
    }

    /**
     * The key's allowances in the shape the configuration file declares them (without its value), so that a
     * PATCH can be validated as a whole declaration after the changed fields are laid over it.
     */
    Map<String, Object> declaration(VirtualKey key) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", key.name());
        if (!key.allowedModels().isEmpty()) {
            fields.put("allowed_models", key.allowedModels().stream().map(ModelPattern::toString).toList());
        }
        if (key.rateLimit() != null) {
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("requests_per_minute", key.rateLimit().requestsPerMinute());
            rate.put("tokens_per_minute", key.rateLimit().tokensPerMinute());
            fields.put("rate_limit", rate);
        }
        if (key.budget() != null) {
            Map<String, Object> budget = new LinkedHashMap<>();
            budget.put("max_usd", key.budget().maxUsd());
            budget.put("reset", key.budget().reset() == null ? null : key.budget().reset().code());
            fields.put("budget", budget);
        }
        fields.put("active", key.active());
        fields.put("expires_at", text(key.expiresAt()));
        return fields;
    }

    ObjectNode usage(KeyUsage usage) {
        VirtualKey key = usage.key();
        return json.createObjectNode()
                .put("object", "virtual_key.usage")
                .put("name", key.name())
                .put("period_start", text(usage.periodStart()))
                .put("period_end", text(usage.periodEnd()))
                .put("requests", usage.usage().requests())
                .put("input_tokens", usage.usage().inputTokens())
                .put("output_tokens", usage.usage().outputTokens())
                .put("total_tokens", usage.usage().totalTokens())
                .put("spend_usd", usage.usage().costUsd())
                .put("budget_usd", key.budget() == null ? null : key.budget().maxUsd());
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
