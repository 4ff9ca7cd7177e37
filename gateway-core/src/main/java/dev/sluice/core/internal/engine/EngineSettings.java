package dev.sluice.core.internal.engine;

import dev.sluice.core.format.WireFormats;
import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactory;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Pricing;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What {@link dev.sluice.core.Gateway.Builder} collected, validated, for {@link GatewayAssembly} to wire.
 *
 * @param adapters      adapters built by the caller, by provider name; the others come from factories
 * @param meterRegistry {@code null} to record no meters
 * @param formats       the wire formats callers and providers may speak, the default first
 * @param random        where retry waits draw their jitter
 */
public record EngineSettings(List<ProviderConfig> configs, Map<String, ProviderAdapter> adapters,
                             Collection<ProviderFactory> factories, ClassLoader classLoader, Scheduler timer, Store store,
                             Pricing pricing, Clock clock, boolean requireVirtualKey, Duration resultTtl,
                             ExecutorSettings jobSettings, long maxFileBytes, ExecutorSettings batchSettings, int linesPerBatch,
                             BatchLimits batchLimits, MeterRegistry meterRegistry, ResilienceEvents events,
                             FallbackDefaults fallbacks, WireFormats formats, RandomGenerator random) {
}
