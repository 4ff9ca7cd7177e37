package dev.sluice.server.config;

import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.usage.Pricing;

import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one gateway process, as read from the YAML file or the embedded defaults.
 *
 * @param server      where and how the HTTP server listens
 * @param providers   the providers, in the order they were declared
 * @param store       where virtual keys and usage are kept
 * @param auth        the admin token and whether inference needs a virtual key
 * @param virtualKeys the virtual keys declared in the file, in order; names and values are unique
 * @param pricing     USD per million tokens by {@code provider/model} glob, first match wins
 * @param async       how async jobs run and how long their results are kept
 * @param files       limits of uploaded files
 * @param batch       how batches run
 * @param fallbacks   the fallbacks of requests that name none, by {@code provider/model} glob
 */
public record SluiceConfig(
        ServerSettings server,
        List<ProviderConfig> providers,
        StoreSettings store,
        AuthSettings auth,
        List<VirtualKeySpec> virtualKeys,
        Pricing pricing,
        AsyncSettings async,
        FilesSettings files,
        BatchSettings batch,
        FallbackDefaults fallbacks) {

    public SluiceConfig {
        Objects.requireNonNull(server, "server");
        providers = List.copyOf(providers);
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(auth, "auth");
        virtualKeys = List.copyOf(virtualKeys);
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(async, "async");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(fallbacks, "fallbacks");
    }

    /** Shows virtual keys by name only: {@link VirtualKeySpec}'s own text would include the secret value. */
    @Override
    public String toString() {
        return "SluiceConfig[server=" + server + ", providers=" + providers + ", store=" + store + ", auth=" + auth
                + ", virtualKeys=" + virtualKeys.stream().map(VirtualKeySpec::name).toList()
                + ", pricing=" + pricing + ", async=" + async + ", files=" + files + ", batch=" + batch + ", fallbacks=" + fallbacks.entries() + "]";
    }
}
