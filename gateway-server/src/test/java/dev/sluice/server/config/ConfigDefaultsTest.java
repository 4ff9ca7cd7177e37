package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.usage.Pricing;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ConfigDefaultsTest {

    @Test
    void servesOnlyTheMockProviderWhenNoKeyIsSet() {
        SluiceConfig config = loader(Map.of("PATH", "/usr/bin")).defaults();

        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 8080, 52_428_800L));
        assertThat(config.providers()).singleElement().satisfies(demo -> {
            assertThat(demo.name()).isEqualTo("demo");
            assertThat(demo.type()).isEqualTo("mock");
            assertThat(demo.models()).containsExactly("echo", "embed");
            assertThat(demo.options()).containsExactly(Map.entry("latency_ms", 0));
            assertThat(demo.keys()).isEmpty();
        });
        assertThat(config.store()).isEqualTo(new StoreSettings("r2dbc:h2:file:///./data/sluice", 10));
        assertThat(config.auth()).isEqualTo(new AuthSettings(null, false));
        assertThat(config.virtualKeys()).isEmpty();
        assertThat(config.pricing()).isSameAs(Pricing.FREE);
    }

    @Test
    void addsAnOpenAiCompatibleProviderForEachWellKnownKeyThatIsSet() {
        SluiceConfig config = loader(Map.of("GROQ_API_KEY", "gsk-1", "OPENAI_API_KEY", "sk-1", "MISTRAL_API_KEY", " "))
                .defaults();

        assertThat(config.providers()).extracting(ProviderConfig::name).containsExactly("demo", "openai", "groq");
        ProviderConfig groq = config.providers().get(2);
        assertThat(groq.type()).isEqualTo("openai");
        assertThat(groq.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
        assertThat(groq.keys()).extracting(ProviderKey::name, ProviderKey::value)
                .containsExactly(tuple("primary", "gsk-1"));
    }

    @Test
    void knowsEveryDocumentedWellKnownProvider() {
        Map<String, String> env = new HashMap<>();
        WellKnownProviders.ENTRIES.forEach(entry -> env.put(entry.envVariable(), "key"));

        SluiceConfig config = loader(env).defaults();

        assertThat(config.providers()).extracting(ProviderConfig::name, ProviderConfig::baseUrl).containsExactly(
                tuple("demo", null),
                tuple("openai", "https://api.openai.com/v1"),
                tuple("anthropic", "https://api.anthropic.com"),
                tuple("gemini", "https://generativelanguage.googleapis.com/v1beta"),
                tuple("groq", "https://api.groq.com/openai/v1"),
                tuple("mistral", "https://api.mistral.ai/v1"),
                tuple("together", "https://api.together.xyz/v1"),
                tuple("deepseek", "https://api.deepseek.com/v1"),
                tuple("openrouter", "https://openrouter.ai/api/v1"),
                tuple("fireworks", "https://api.fireworks.ai/inference/v1"),
                tuple("xai", "https://api.x.ai/v1"),
                tuple("cerebras", "https://api.cerebras.ai/v1"),
                tuple("perplexity", "https://api.perplexity.ai"));
        assertThat(config.providers().subList(1, config.providers().size()))
                .allSatisfy(provider -> assertThat(provider.type())
                        .isEqualTo(provider.name().equals("anthropic") || provider.name().equals("gemini") ? provider.name() : "openai"));
    }

    @Test
    void defaultsPassTheLoadersOwnChecksWhenWrittenAsAFile() {
        // The embedded defaults must be something a file could say; this keeps the two from drifting apart.
        SluiceConfig fromFile = loader(Map.of()).parse("""
                server: {host: 127.0.0.1, port: 8080, max_body_bytes: 52428800}
                providers:
                  demo: {type: mock, latency_ms: 0, models: [echo, embed]}
                """, "defaults.yaml");

        assertThat(loader(Map.of()).defaults()).isEqualTo(fromFile);
    }
}
