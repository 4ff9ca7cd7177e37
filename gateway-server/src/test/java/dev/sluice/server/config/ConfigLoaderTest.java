package dev.sluice.server.config;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.UpstreamConnections;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.usage.Pricing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-primary");

    @Test
    void parsesTheDocumentedExampleIntoRecords() throws IOException {
        SluiceConfig config = loader(ENV).parse(resource("full-example.yaml"), "sluice.yaml");

        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 8080, 52_428_800L));
        assertThat(config.providers()).extracting(ProviderConfig::name).containsExactly("openai", "demo");

        ProviderConfig openai = config.providers().get(0);
        assertThat(openai.type()).isEqualTo("openai");
        assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(openai.maxConnections()).isEqualTo(512);
        assertThat(openai.connections()).as("the wait queue follows the pool").isEqualTo(new UpstreamConnections(
                UpstreamConnections.HttpVersion.AUTO, 512, 100, 512, Duration.ofSeconds(5)));
        assertThat(openai.models()).containsExactly("gpt-4o-mini", "text-embedding-3-small");
        assertThat(openai.options()).isEmpty();
        // The backup key's variable is unset and defaults to empty, so only the primary key is left.
        assertThat(openai.keys()).hasSize(1);
        ProviderKey primary = openai.keys().get(0);
        assertThat(primary.name()).isEqualTo("primary");
        assertThat(primary.value()).isEqualTo("sk-primary");
        assertThat(primary.weight()).isEqualTo(3);
        assertThat(primary.models()).hasToString("[*]");

        ProviderConfig demo = config.providers().get(1);
        assertThat(demo.type()).isEqualTo("mock");
        assertThat(demo.baseUrl()).isNull();
        assertThat(demo.keys()).isEmpty();
        assertThat(demo.options()).containsExactly(Map.entry("latency_ms", 0));
        assertThat(demo.intOption("latency_ms", 5, 0)).isZero();

        assertThat(config.store()).isEqualTo(new StoreSettings("r2dbc:h2:file:///./data/sluice", 10));
        // SLUICE_ADMIN_TOKEN is unset, so the admin API is off.
        assertThat(config.auth()).isEqualTo(new AuthSettings(null, false));

        assertThat(config.virtualKeys()).extracting(VirtualKeySpec::name).containsExactly("team-a", "ci");
        VirtualKeySpec teamA = config.virtualKeys().get(0);
        assertThat(teamA.value()).isEqualTo("sk-bf-team-a-0001");
        assertThat(teamA.allowedModels()).hasToString("[openai/*, demo/*]");
        assertThat(teamA.rateLimit()).isEqualTo(new RateLimit(600, 200_000));
        assertThat(teamA.budget()).isEqualTo(new Budget(25.0, ResetPeriod.MONTH));
        assertThat(teamA.active()).isTrue();
        assertThat(teamA.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(config.virtualKeys().get(1))
                .isEqualTo(new VirtualKeySpec("ci", "sk-bf-ci-0001", List.of(), null, null, true, null));

        assertThat(config.pricing().entries()).singleElement().satisfies(entry -> {
            assertThat(entry.model()).hasToString("openai/gpt-4o-mini");
            assertThat(entry.input()).isEqualTo(0.15);
            assertThat(entry.output()).isEqualTo(0.60);
        });
    }

    @Test
    void turnsTheAdminApiOnWhenTheTokenVariableIsSet() throws IOException {
        SluiceConfig config = loader(Map.of("OPENAI_API_KEY", "sk-primary", "SLUICE_ADMIN_TOKEN", "admin-secret"))
                .parse(resource("full-example.yaml"), "sluice.yaml");

        assertThat(config.auth().adminToken()).isEqualTo("admin-secret");
        assertThat(config.toString()).doesNotContain("admin-secret").doesNotContain("sk-bf-team-a-0001");
    }

    @Test
    void keepsEveryKeyWhenAllVariablesAreSet() throws IOException {
        SluiceConfig config = loader(Map.of("OPENAI_API_KEY", "sk-1", "OPENAI_API_KEY_2", "sk-2"))
                .parse(resource("full-example.yaml"), "sluice.yaml");

        assertThat(config.providers().get(0).keys())
                .extracting(ProviderKey::name, ProviderKey::value, ProviderKey::weight)
                .containsExactly(
                        tuple("primary", "sk-1", 3),
                        tuple("backup", "sk-2", 1));
    }

    @Test
    void appliesDefaultsToEverythingLeftOut() {
        SluiceConfig config = loader(Map.of()).parse("""
                providers:
                  local:
                    type: openai
                    keys:
                      - value: k1
                      - value: k2
                """, "sluice.yaml");

        assertThat(config.server()).isEqualTo(ServerSettings.defaults());
        assertThat(config.store()).isEqualTo(StoreSettings.defaults());
        assertThat(config.auth()).isEqualTo(AuthSettings.defaults());
        assertThat(config.virtualKeys()).isEmpty();
        assertThat(config.pricing()).isSameAs(Pricing.FREE);
        ProviderConfig local = config.providers().get(0);
        assertThat(local.baseUrl()).isNull();
        assertThat(local.timeout()).isEqualTo(ProviderConfig.DEFAULT_TIMEOUT);
        assertThat(local.maxConnections()).isEqualTo(ProviderConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(local.models()).isEmpty();
        assertThat(local.keys()).extracting(ProviderKey::name).containsExactly("key-1", "key-2");
        assertThat(local.keys()).allSatisfy(key -> {
            assertThat(key.weight()).isEqualTo(1);
            assertThat(key.serves("any-model")).isTrue();
        });
    }

    @Test
    void readsAnEmptyValueAsAbsent() {
        SluiceConfig config = loader(Map.of()).parse("""
                server:
                providers:
                  demo:
                    type: mock
                    models:
                    latency_ms:
                """, "sluice.yaml");

        assertThat(config.server()).isEqualTo(ServerSettings.defaults());
        assertThat(config.providers().get(0).models()).isEmpty();
        assertThat(config.providers().get(0).options()).isEmpty();
    }

    @Test
    void acceptsAFractionalTimeout() {
        SluiceConfig config = loader(Map.of()).parse("""
                providers:
                  demo: {type: mock, timeout_seconds: 2.5}
                """, "sluice.yaml");

        assertThat(config.providers().get(0).timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void restrictsAKeyToTheModelsItLists() {
        SluiceConfig config = loader(Map.of()).parse("""
                providers:
                  openai:
                    type: openai
                    keys:
                      - {name: mini-only, value: k, models: [gpt-4o-mini*, o1]}
                """, "sluice.yaml");

        ProviderKey key = config.providers().get(0).keys().get(0);
        assertThat(key.serves("gpt-4o-mini-2024-07-18")).isTrue();
        assertThat(key.serves("o1")).isTrue();
        assertThat(key.serves("gpt-4o")).isFalse();
    }

    @Test
    void loadsARealFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, resource("full-example.yaml"));

        SluiceConfig config = loader(ENV).load(file);

        assertThat(config.providers()).extracting(ProviderConfig::name).containsExactly("openai", "demo");
    }

    @Test
    void prefixesProblemsInAFileWithItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "server:\n  port: abc\n");

        assertThatThrownBy(() -> loader(Map.of()).load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": server.port: \"abc\" (expected: a whole number)");
    }

    @Test
    void reportsAMissingFileClearly(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> loader(Map.of()).load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": file not found")
                .hasMessageContaining("--config FILE or SLUICE_CONFIG");
    }

    @Test
    void reportsADirectoryAsUnreadable(@TempDir Path dir) {
        assertThatThrownBy(() -> loader(Map.of()).load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot be read");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
