package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.provider.ProviderFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stub provider types, so these tests do not depend on what the providers module registers. */
final class TestFactories {

    private TestFactories() {
    }

    /** {@code openai} (no options) and {@code mock} (latency_ms, chunk_gap_ms), and nothing else. */
    static ProviderFactories openaiAndMock() {
        // The platform class loader cannot see the class path's META-INF/services, so only these two exist.
        return ProviderFactories.load(ClassLoader.getPlatformClassLoader(),
                List.of(stub("openai", Set.of()), stub("mock", Set.of("latency_ms", "chunk_gap_ms"))));
    }

    static ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env, openaiAndMock());
    }

    static ProviderFactory stub(String type, Set<String> options) {
        return new ProviderFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Set<String> optionNames() {
                return options;
            }

            @Override
            public ProviderAdapter create(ProviderConfig config, ProviderContext context) {
                throw new UnsupportedOperationException("the loader never creates adapters");
            }
        };
    }
}
