package dev.sluice.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MeterCacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger registrations = new AtomicInteger();
    private final MeterCache<Counter> counters = new MeterCache<>(tags -> {
        registrations.incrementAndGet();
        return Counter.builder("calls").tags("provider", tags.get(0), "outcome", tags.get(1)).register(registry);
    });

    @Test
    void registersAMeterOncePerCombinationOfTagValues() {
        counters.get("openai", "success").increment();
        counters.get("openai", "success").increment();
        counters.get("openai", "server_error").increment();

        assertThat(registrations).hasValue(2);
        assertThat(registry.get("calls").tags("provider", "openai", "outcome", "success").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("calls").tags("provider", "openai", "outcome", "server_error").counter().count()).isEqualTo(1.0);
    }

    @Test
    void tagValuesAreTakenInOrder() {
        assertThat(counters.get("a", "b")).isNotSameAs(counters.get("b", "a"));
        assertThat(counters.get("a", "b")).isSameAs(counters.get("a", "b"));
    }
}
