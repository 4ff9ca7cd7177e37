package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code server.cors}: the web page origins the gateway serves. */
class ConfigCorsTest {

    @Test
    void noOriginIsAllowedByDefault() {
        assertThat(parse("server: {port: 9090}\n").server().corsAllowedOrigins()).isEmpty();
    }

    @Test
    void readsCorsAllowedOrigins() {
        SluiceConfig config = parse("server: {cors: {allowed_origins: [\"https://app.example\", \"http://localhost:3000\"]}}\n");

        assertThat(config.server().corsAllowedOrigins()).containsExactly("https://app.example", "http://localhost:3000");
    }

    @Test
    void refusesAnOriginWithAPath() {
        assertThatThrownBy(() -> parse("server: {cors: {allowed_origins: [\"https://app.example/page\"]}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.cors.allowed_origins: \"https://app.example/page\" (expected: an origin");
    }

    private static SluiceConfig parse(String yaml) {
        return loader(Map.of()).parse("providers: {demo: {type: mock}}\n" + yaml, "sluice.yaml");
    }
}
