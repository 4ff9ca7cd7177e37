package dev.sluice.providers.mock;

import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactory;

import java.time.Duration;
import java.util.Set;

/**
 * Builds adapters for {@code type: mock}: deterministic OpenAI-shaped answers without any network, for
 * demos, tests and benchmarks.
 */
public final class MockProviderFactory implements ProviderFactory {

    static final String LATENCY_MS = "latency_ms";
    static final String CHUNK_GAP_MS = "chunk_gap_ms";

    @Override
    public String type() {
        return "mock";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of(LATENCY_MS, CHUNK_GAP_MS);
    }

    @Override
    public ProviderAdapter create(ProviderConfig config, ProviderContext context) {
        Duration latency = Duration.ofMillis(config.intOption(LATENCY_MS, 0, 0));
        Duration chunkGap = Duration.ofMillis(config.intOption(CHUNK_GAP_MS, 0, 0));
        return new MockAdapter(context.timer(), latency, chunkGap);
    }
}
