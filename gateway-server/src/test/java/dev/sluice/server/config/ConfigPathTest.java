package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigPathTest {

    @Test
    void takesTheFileAfterTheConfigFlag() {
        assertThat(ConfigLoader.configPath(new String[] {"--port", "1", "--config", "conf/sluice.yaml"}, Map.of()))
                .contains(Path.of("conf/sluice.yaml"));
    }

    @Test
    void acceptsTheFlagWithAnEqualsSign() {
        assertThat(ConfigLoader.configPath(new String[] {"--config=sluice.yaml"}, Map.of())).contains(Path.of("sluice.yaml"));
    }

    @Test
    void prefersTheFlagOverTheEnvironment() {
        assertThat(ConfigLoader.configPath(new String[] {"--config", "a.yaml"}, Map.of("SLUICE_CONFIG", "b.yaml")))
                .contains(Path.of("a.yaml"));
    }

    @Test
    void fallsBackToTheEnvironment() {
        assertThat(ConfigLoader.configPath(new String[0], Map.of("SLUICE_CONFIG", "b.yaml"))).contains(Path.of("b.yaml"));
    }

    @Test
    void isEmptyWithoutFlagOrVariableSoDefaultsApply() {
        assertThat(ConfigLoader.configPath(new String[0], Map.of())).isEmpty();
        assertThat(ConfigLoader.configPath(new String[0], Map.of("SLUICE_CONFIG", ""))).isEmpty();
    }

    @Test
    void rejectsTheFlagWithoutAValue() {
        for (String[] args : new String[][] {{"--config"}, {"--config", "--port", "1"}, {"--config="}}) {
            assertThatThrownBy(() -> ConfigLoader.configPath(args, Map.of("SLUICE_CONFIG", "b.yaml")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("command line: --config: missing value (expected: --config FILE)");
        }
    }

    @Test
    void rejectsTheFlagGivenTwice() {
        assertThatThrownBy(() -> ConfigLoader.configPath(new String[] {"--config", "a.yaml", "--config=b.yaml"}, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("given twice");
    }
}
