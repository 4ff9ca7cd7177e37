package dev.sluice.providers.gemini;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactories;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiProviderFactoryTest {

    private final ProviderFactories factories = ProviderFactories.load(getClass().getClassLoader());

    @Test
    void isFoundWithServiceLoaderBesideTheOtherTypes() {
        assertThat(factories.types()).contains("gemini", "openai", "mock");
        assertThat(factories.get("gemini")).isInstanceOf(GeminiProviderFactory.class);
    }

    @Test
    void refusesAnyOption() {
        ProviderConfig config = ProviderConfig.builder("google", "gemini").option("api_version", "v1").build();

        assertThatThrownBy(() -> factories.factoryFor(config))
                .hasMessageContaining("providers.google.api_version")
                .hasMessageContaining("expected one of: none");
    }
}
