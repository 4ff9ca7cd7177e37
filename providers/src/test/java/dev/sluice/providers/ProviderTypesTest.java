package dev.sluice.providers;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderTypesTest {

    private final ProviderFactories factories = ProviderFactories.load(getClass().getClassLoader());

    @Test
    void findsOpenAiAndMockWithServiceLoader() {
        assertThat(factories.types()).contains("openai", "mock");
    }

    @Test
    void acceptsTheMockTimingOptions() {
        ProviderConfig config = ProviderConfig.builder("demo", "mock").option("latency_ms", 5).option("chunk_gap_ms", 1).build();

        assertThat(factories.factoryFor(config).type()).isEqualTo("mock");
    }

    @Test
    void refusesOptionsTheOpenAiTypeDoesNotHave() {
        ProviderConfig config = ProviderConfig.builder("groq", "openai").option("latency_ms", 5).build();

        assertThatThrownBy(() -> factories.factoryFor(config))
                .hasMessageContaining("providers.groq.latency_ms")
                .hasMessageContaining("expected one of: none");
    }
}
