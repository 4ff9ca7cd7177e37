package dev.sluice.server.config;

import dev.sluice.core.keys.VirtualKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration file is read as YAML 1.2: words YAML 1.1 took for booleans are text. */
class ConfigYaml12Test {

    @ParameterizedTest
    @ValueSource(strings = {"off", "no", "yes", "on", "Off", "NO", "y", "n"})
    void yaml11BooleanWordsAreText(String name) {
        List<VirtualKeySpec> keys = parse("""
                virtual_keys:
                  - {name: %s, value: sk-bf-word-0001}
                """.formatted(name)).virtualKeys();

        assertThat(keys).singleElement().satisfies(key -> assertThat(key.name()).isEqualTo(name));
    }

    @Test
    void onAsAKeyIsText() {
        assertThatThrownBy(() -> parse("server: {on: 1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.on: unknown key");
    }

    @Test
    void trueAndFalseRemainBooleans() {
        SluiceConfig config = parse("""
                server: {access_log: false}
                virtual_keys:
                  - {name: a, value: sk-bf-a-0001, active: true}
                """);

        assertThat(config.server().accessLog()).isFalse();
        assertThat(config.virtualKeys().getFirst().active()).isTrue();
    }

    @Test
    void yesIsNotABoolean() {
        assertThatThrownBy(() -> parse("server: {access_log: yes}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.access_log: \"yes\"");
    }

    @Test
    void numbersStillReadAsNumbers() {
        SluiceConfig config = parse("server: {port: 9090, max_body_bytes: 0x400}\n");

        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().maxBodyBytes()).isEqualTo(1024);
    }

    private static SluiceConfig parse(String yaml) {
        return loader(Map.of()).parse("providers: {demo: {type: mock}}\n" + yaml, "sluice.yaml");
    }
}
