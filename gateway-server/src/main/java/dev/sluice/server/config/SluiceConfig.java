package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;

import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one gateway process, as read from the YAML file or the embedded defaults.
 *
 * @param server    where and how the HTTP server listens
 * @param providers the providers, in the order they were declared
 * @param store     where virtual keys and usage are kept
 * @param auth      the admin token and whether inference needs a virtual key
 */
public record SluiceConfig(ServerSettings server, List<ProviderConfig> providers, StoreSettings store, AuthSettings auth) {

    public SluiceConfig {
        Objects.requireNonNull(server, "server");
        providers = List.copyOf(providers);
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(auth, "auth");
    }
}
