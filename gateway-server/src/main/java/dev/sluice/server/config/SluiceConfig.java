package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;

import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one gateway process, as read from the YAML file or the embedded defaults.
 *
 * @param server    where and how the HTTP server listens
 * @param providers the providers, in the order they were declared
 */
public record SluiceConfig(ServerSettings server, List<ProviderConfig> providers) {

    public SluiceConfig {
        Objects.requireNonNull(server, "server");
        providers = List.copyOf(providers);
    }
}
