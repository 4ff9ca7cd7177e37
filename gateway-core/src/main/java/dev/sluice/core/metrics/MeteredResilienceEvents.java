package dev.sluice.core.metrics;

import dev.sluice.core.resilience.ResilienceEvents;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;

/** Counts retries, key rotations and fallbacks, then tells the application's own listener. */
final class MeteredResilienceEvents implements ResilienceEvents {

    private final MeterRegistry registry;
    private final ResilienceEvents next;

    MeteredResilienceEvents(MeterRegistry registry, ResilienceEvents next) {
        this.registry = registry;
        this.next = next;
    }

    @Override
    public void onRetry(String provider, String model, int attempt, Duration wait, Throwable cause) {
        registry.counter(MetricNames.RETRIES, MetricNames.TAG_PROVIDER, provider,
                MetricNames.TAG_REASON, GatewayMetrics.outcomeOf(cause)).increment();
        next.onRetry(provider, model, attempt, wait, cause);
    }

    @Override
    public void onKeyRotated(String provider, String fromKey, Throwable cause) {
        registry.counter(MetricNames.KEY_ROTATIONS, MetricNames.TAG_PROVIDER, provider).increment();
        next.onKeyRotated(provider, fromKey, cause);
    }

    @Override
    public void onFallback(String from, String to, int index, Throwable cause) {
        // Tagged by provider only: provider names are a fixed set, model names need not be.
        registry.counter(MetricNames.FALLBACKS, MetricNames.TAG_PROVIDER, providerOf(from),
                MetricNames.TAG_FALLBACK, providerOf(to)).increment();
        next.onFallback(from, to, index, cause);
    }

    @Override
    public void onCircuitOpened(String provider, String key, Duration openFor, Throwable cause) {
        next.onCircuitOpened(provider, key, openFor, cause);
    }

    private static String providerOf(String target) {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }
}
