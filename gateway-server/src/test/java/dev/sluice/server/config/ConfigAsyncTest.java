package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code async:} section. */
class ConfigAsyncTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";

    @Test
    void readsTheAsyncSection() {
        assertThat(parse("async: {result_ttl_seconds: 60, max_concurrency: 8}\n").async()).isEqualTo(new AsyncSettings(60, 8));
    }

    @Test
    void defaultsToAnHourAnd64Jobs() {
        assertThat(parse("").async()).isEqualTo(new AsyncSettings(3600, 64));
        assertThat(parse("async: {max_concurrency: 2}\n").async()).isEqualTo(new AsyncSettings(3600, 2));
    }

    @Test
    void refusesUnknownKeysAndNonPositiveValues() {
        assertThatThrownBy(() -> parse("async: {ttl: 5}\n")).hasMessageContaining("async.ttl").hasMessageContaining("result_ttl_seconds");
        assertThatThrownBy(() -> parse("async: {max_concurrency: 0}\n")).hasMessageContaining("async.max_concurrency: 0");
        assertThatThrownBy(() -> parse("async: {result_ttl_seconds: -5}\n")).hasMessageContaining("async.result_ttl_seconds: -5");
    }

    private static SluiceConfig parse(String yaml) {
        return loader(Map.of()).parse(yaml + DEMO, "sluice.yaml");
    }
}
