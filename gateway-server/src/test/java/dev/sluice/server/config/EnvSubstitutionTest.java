package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvSubstitutionTest {

    @Test
    void replacesAVariableInsideText() {
        SluiceConfig config = loader(Map.of("HOST", "api.example.com")).parse("""
                providers:
                  p: {type: openai, base_url: "https://${HOST}/v1"}
                """, "sluice.yaml");

        assertThat(config.providers().get(0).baseUrl()).isEqualTo("https://api.example.com/v1");
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        String yaml = """
                server: {host: "${BIND:-0.0.0.0}"}
                providers: {demo: {type: mock}}
                """;

        assertThat(loader(Map.of()).parse(yaml, "s").server().host()).isEqualTo("0.0.0.0");
        assertThat(loader(Map.of("BIND", "")).parse(yaml, "s").server().host()).isEqualTo("0.0.0.0");
        assertThat(loader(Map.of("BIND", "10.0.0.1")).parse(yaml, "s").server().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void readsNumbersFromSubstitutedText() {
        String yaml = """
                server: {port: "${PORT:-8080}", max_body_bytes: "${MAX_BODY}"}
                providers:
                  demo: {type: mock, timeout_seconds: "${TIMEOUT}", max_connections: "${CONNS}", latency_ms: "${LATENCY}"}
                """;

        SluiceConfig config = loader(Map.of("PORT", "9090", "MAX_BODY", "1024", "TIMEOUT", "1.5", "CONNS", "8", "LATENCY", "25"))
                .parse(yaml, "s");

        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 9090, 1024));
        ProviderConfig demo = config.providers().get(0);
        assertThat(demo.timeout()).hasMillis(1500);
        assertThat(demo.maxConnections()).isEqualTo(8);
        // Adapters read whole-number options as Integers, so substituted text must become one.
        assertThat(demo.intOption("latency_ms", 0, 0)).isEqualTo(25);
    }

    @Test
    void rejectsAnUnsetVariableNamingTheKeyAndTheVariable() {
        assertThatThrownBy(() -> loader(Map.of()).parse("""
                providers:
                  openai:
                    type: openai
                    keys:
                      - value: ${OPENAI_API_KEY}
                """, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml: providers.openai.keys[0].value: environment variable OPENAI_API_KEY is not set"
                        + " (use ${OPENAI_API_KEY:-} to allow empty)");
    }

    @Test
    void skipsAKeyWhoseValueIsEmptyAfterSubstitution() {
        SluiceConfig config = loader(Map.of("EMPTY", "")).parse("""
                providers:
                  openai:
                    type: openai
                    keys:
                      - {name: a, value: "${EMPTY}"}
                      - {name: b, value: "${UNSET:-}"}
                      - {name: c, value: "  "}
                      - {name: d, value: real}
                """, "sluice.yaml");

        assertThat(config.providers().get(0).keys()).singleElement()
                .satisfies(key -> assertThat(key.name()).isEqualTo("d"));
    }

    @Test
    void neverLetsAValueAddYamlStructure() {
        SluiceConfig config = loader(Map.of("INJECTED", "x\n  port: 1\nextra: {a: b}")).parse("""
                server: {host: "${INJECTED}"}
                providers: {demo: {type: mock}}
                """, "sluice.yaml");

        assertThat(config.server().host()).isEqualTo("x\n  port: 1\nextra: {a: b}");
        assertThat(config.server().port()).isEqualTo(8080);
    }

    @Test
    void insertsValuesOnceWithoutExpandingThemAgain() {
        SluiceConfig config = loader(Map.of("A", "${B}", "B", "b")).parse("""
                providers: {demo: {type: mock, models: ["${A}", "$${A}"]}}
                """, "sluice.yaml");

        assertThat(config.providers().get(0).models()).containsExactly("${B}", "${A}");
    }

    @Test
    void rejectsAMalformedReferenceWithoutEchoingTheValue() {
        assertThatThrownBy(() -> loader(Map.of()).parse("""
                providers:
                  openai:
                    type: openai
                    keys: [{value: "sk-secret-${OPENAI_API_KEY"}]
                """, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sluice.yaml: providers.openai.keys[0].value: malformed ${...} reference")
                .hasMessageNotContaining("sk-secret");
    }
}
