package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;

import java.util.List;
import java.util.Map;

/**
 * Providers the embedded defaults turn on by themselves when their usual API key variable is set, so
 * that {@code OPENAI_API_KEY=... sluice} works without a file. One row per provider.
 */
final class WellKnownProviders {

    /** One provider the defaults know: the variable that enables it, and how to reach it. */
    record Entry(String envVariable, String name, String type, String baseUrl) {
    }

    static final List<Entry> ENTRIES = List.of(
            new Entry("OPENAI_API_KEY", "openai", "openai", "https://api.openai.com/v1"),
            new Entry("ANTHROPIC_API_KEY", "anthropic", "anthropic", "https://api.anthropic.com"),
            new Entry("GEMINI_API_KEY", "gemini", "gemini", "https://generativelanguage.googleapis.com/v1beta"),
            new Entry("GROQ_API_KEY", "groq", "openai", "https://api.groq.com/openai/v1"),
            new Entry("MISTRAL_API_KEY", "mistral", "openai", "https://api.mistral.ai/v1"),
            new Entry("TOGETHER_API_KEY", "together", "openai", "https://api.together.xyz/v1"),
            new Entry("DEEPSEEK_API_KEY", "deepseek", "openai", "https://api.deepseek.com/v1"),
            new Entry("OPENROUTER_API_KEY", "openrouter", "openai", "https://openrouter.ai/api/v1"),
            new Entry("FIREWORKS_API_KEY", "fireworks", "openai", "https://api.fireworks.ai/inference/v1"),
            new Entry("XAI_API_KEY", "xai", "openai", "https://api.x.ai/v1"),
            new Entry("CEREBRAS_API_KEY", "cerebras", "openai", "https://api.cerebras.ai/v1"),
            new Entry("PERPLEXITY_API_KEY", "perplexity", "openai", "https://api.perplexity.ai"));

    private WellKnownProviders() {
    }

    /** A provider with one key named {@code primary} for every entry whose variable is set and not blank, in table order. */
    static List<ProviderConfig> enabledBy(Map<String, String> env) {
        return ENTRIES.stream()
                .filter(entry -> {
                    String value = env.get(entry.envVariable());
                    return value != null && !value.isBlank();
                })
                .map(entry -> ProviderConfig.builder(entry.name(), entry.type())
                        .baseUrl(entry.baseUrl())
                        .key(ProviderKey.of("primary", env.getOrDefault(entry.envVariable(), "").strip()))
                        .build())
                .toList();
    }
}
