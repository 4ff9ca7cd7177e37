package dev.sluice.core.provider;

import java.util.Set;

/**
 * Builds the adapter for one provider type. Implementations are found with {@link java.util.ServiceLoader}
 * (like r2dbc's {@code ConnectionFactoryProvider}): list them in
 * {@code META-INF/services/dev.sluice.core.provider.ProviderFactory}.
 */
public interface ProviderFactory {

    /** The {@code type} this factory builds, as written in configuration: {@code openai}, {@code mock}. */
    String type();

    /** The type-specific option names it accepts beyond the common ones; anything else is refused. */
    default Set<String> optionNames() {
        return Set.of();
    }

    /**
     * Builds an adapter for the given configuration.
     *
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    ProviderAdapter create(ProviderConfig config, ProviderContext context);
}
