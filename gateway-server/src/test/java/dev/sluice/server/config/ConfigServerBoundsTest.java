package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code server:} keys that bound what slow or large requests may hold: memory in flight and the timeouts. */
class ConfigServerBoundsTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";

    @Test
    void readsTheBoundsAndTimeouts() {
        ServerSettings server = loader(Map.of()).parse("""
                server:
                  max_inflight_body_bytes: 1048576
                  read_timeout_seconds: 5
                  upload_timeout_seconds: 120
                  idle_timeout_seconds: 30
                  request_header_timeout_seconds: 2.5
                """ + DEMO, "sluice.yaml").server();

        assertThat(server.maxInflightBodyBytes()).isEqualTo(1_048_576);
        assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(server.uploadTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(server.requestHeaderTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void defaultsToAnEighthOfTheHeapAndMinuteLongTimeouts() {
        ServerSettings server = loader(Map.of()).parse(DEMO, "sluice.yaml").server();

        assertThat(server.maxInflightBodyBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 8);
        assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(server.uploadTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(server.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void rejectsATimeoutOfZero() {
        assertThatThrownBy(() -> loader(Map.of()).parse("server: {read_timeout_seconds: 0}\n" + DEMO, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml: server.read_timeout_seconds: 0 (expected: > 0)");
    }

    @Test
    void rejectsAnEmptyInflightBudget() {
        assertThatThrownBy(() -> loader(Map.of()).parse("server: {max_inflight_body_bytes: 0}\n" + DEMO, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.max_inflight_body_bytes: 0 (expected: > 0)");
    }
}
