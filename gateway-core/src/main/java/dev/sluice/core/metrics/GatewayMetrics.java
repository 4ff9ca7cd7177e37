package dev.sluice.core.metrics;

import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.provider.ConnectionPoolStats;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.usage.TokenCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The engine's meters over the {@link MeterRegistry} the embedder gave, with the bounded tag sets they may use; or,
 * with no registry, nothing at all: {@link #none()} decorates nothing and records nothing.
 */
public final class GatewayMetrics {

    private static final GatewayMetrics NONE = new GatewayMetrics(null, Set.of());

    private final @Nullable MeterRegistry registry;
    private final Set<String> catalogue;

    private final MeterCache<Timer> upstreamTimers;
    private final MeterCache<Timer> firstEventTimers;
    private final MeterCache<Timer> eventGapTimers;
    private final MeterCache<Counter> tokenCounters;
    private final MeterCache<Counter> costCounters;

    private GatewayMetrics(@Nullable MeterRegistry registry, Set<String> catalogue) {
        this.registry = registry;
        this.catalogue = catalogue;
        this.upstreamTimers = new MeterCache<>(tags -> Timer.builder(MetricNames.UPSTREAM_REQUESTS)
                .description("Upstream calls, to their last byte")
                .tags(MetricNames.TAG_PROVIDER, tags.get(0), MetricNames.TAG_MODEL, tags.get(1), MetricNames.TAG_MODE, tags.get(2),
                        MetricNames.TAG_OUTCOME, tags.get(3))
                .register(registryOn()));
        this.firstEventTimers = new MeterCache<>(tags -> Timer.builder(MetricNames.UPSTREAM_FIRST_EVENT)
                .description("Time to the first event of an upstream stream")
                .tags(MetricNames.TAG_PROVIDER, tags.get(0), MetricNames.TAG_MODEL, tags.get(1))
                .register(registryOn()));
        this.eventGapTimers = new MeterCache<>(tags -> Timer.builder(MetricNames.UPSTREAM_EVENT_GAP)
                .description("Gaps between events of an upstream stream")
                .tags(MetricNames.TAG_PROVIDER, tags.get(0), MetricNames.TAG_MODEL, tags.get(1))
                .register(registryOn()));
        this.tokenCounters = new MeterCache<>(tags -> Counter.builder(MetricNames.TOKENS)
                .description("Tokens reported by providers")
                .tags(MetricNames.TAG_PROVIDER, tags.get(0), MetricNames.TAG_MODEL, tags.get(1), MetricNames.TAG_TYPE, tags.get(2))
                .register(registryOn()));
        this.costCounters = new MeterCache<>(tags -> Counter.builder(MetricNames.COST).baseUnit("usd")
                .description("Spend at the configured prices")
                .tags(MetricNames.TAG_PROVIDER, tags.get(0), MetricNames.TAG_MODEL, tags.get(1))
                .register(registryOn()));
    }

    /** The registry to make a meter in: meters are made only with metrics on, as every recording returns first without. */
    private MeterRegistry registryOn() {
        return Objects.requireNonNull(registry, "metrics are off");
    }

    /** Records nothing. */
    public static GatewayMetrics none() {
        return NONE;
    }

    /** Records to {@code registry}; model tags are limited to the models the providers' catalogues list. */
    public static GatewayMetrics of(MeterRegistry registry, Collection<ProviderConfig> providers) {
        if (registry == null) {
            return NONE;
        }
        Set<String> catalogue = new HashSet<>();
        for (ProviderConfig provider : providers) {
            for (String model : provider.models()) {
                catalogue.add(provider.name() + "/" + model);
            }
        }
        return new GatewayMetrics(registry, Set.copyOf(catalogue));
    }

    public boolean enabled() {
        return registry != null;
    }

    /** The registry; empty when metrics are off. */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /** The model as a tag value: a catalogue model's name, else {@link MetricNames#OTHER} (or {@code none} without one). */
    public String modelTag(String provider, @Nullable String model) {
        if (provider == null || model == null) {
            return MetricNames.NONE;
        }
        return catalogue.contains(provider + "/" + model) ? model : MetricNames.OTHER;
    }

    /** The adapter with its calls timed (latency, first event, gaps, outcome) when metrics are on. */
    public ProviderAdapter decorate(String provider, ProviderAdapter adapter) {
        adapter.connectionPool().ifPresent(pool -> poolGauges(provider, pool));
        return new MeteredAdapter(this, provider, adapter);
    }

    /** The provider's connections and streams, read at each scrape, named as Reactor Netty names its own. */
    private void poolGauges(String provider, ConnectionPoolStats pool) {
        if (registry == null) {
            return;
        }
        poolGauge(provider, "total.connections", "Connections open to the provider, busy or idle", pool::open);
        poolGauge(provider, "idle.connections", "Connections open to the provider and unused", pool::idle);
        poolGauge(provider, "pending.connections", "Calls waiting for a connection or a stream", pool::pending);
        poolGauge(provider, "active.streams", "Calls under way: HTTP/2 streams, or HTTP/1.1 connections in use", pool::activeStreams);
        poolGauge(provider, "streams.per.connection", "Calls under way per open connection",
                () -> pool.open() == 0 ? 0.0 : (double) pool.activeStreams() / pool.open());
    }

    private void poolGauge(String provider, String what, String description, Supplier<Number> value) {
        Gauge.builder(MetricNames.PROVIDER_POOL + "." + what, value).description(description)
                .tag(MetricNames.TAG_PROVIDER, provider).strongReference(true).register(registryOn());
    }

    /** Jobs entering a state are counted; the repository itself when metrics are off. */
    public AsyncJobRepository jobs(AsyncJobRepository jobs) {
        return registry == null ? jobs : new MeteredJobRepository(jobs, this);
    }

    /** Batches entering a state and finished lines are counted; the repository itself when metrics are off. */
    public BatchRepository batches(BatchRepository batches) {
        return registry == null ? batches : new MeteredBatchRepository(batches, this);
    }

    /** Counts an answer's tokens and cost against {@code provider/model}. */
    public void usage(String providerAndModel, TokenCounts tokens, long costMicros) {
        if (registry == null) {
            return;
        }
        int slash = providerAndModel.indexOf('/');
        String provider = slash < 0 ? providerAndModel : providerAndModel.substring(0, slash);
        String model = modelTag(provider, slash < 0 ? null : providerAndModel.substring(slash + 1));
        if (tokens.input() > 0) {
            tokenCounters.get(provider, model, "input").increment(tokens.input());
        }
        if (tokens.output() > 0) {
            tokenCounters.get(provider, model, "output").increment(tokens.output());
        }
        if (costMicros > 0) {
            costCounters.get(provider, model).increment(costMicros / 1_000_000.0);
        }
    }

    /** The application's resilience listener, with retries, key rotations and fallbacks counted first when metrics are on. */
    public ResilienceEvents resilience(ResilienceEvents events) {
        return registry == null ? events : new MeteredResilienceEvents(registry, events);
    }

    /** Counts a governance refusal; {@code reason} is the refusal's error type, a fixed set. */
    public void refused(String reason) {
        count(MetricNames.REFUSALS, MetricNames.TAG_REASON, reason);
    }

    /** Increments a counter with one tag. */
    void count(String name, String tag, String value) {
        count(name, tag, value, 1);
    }

    void count(String name, String tag, String value, double amount) {
        if (registry != null) {
            registry.counter(name, tag, value).increment(amount);
        }
    }

    /** Registers a gauge that reads {@code value} at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        if (registry != null) {
            Gauge.builder(name, value).description(description).strongReference(true).register(registryOn());
        }
    }

    Timer upstreamTimer(String provider, String model, String mode, String outcome) {
        return upstreamTimers.get(provider, model, mode, outcome);
    }

    Timer firstEventTimer(String provider, String model) {
        return firstEventTimers.get(provider, model);
    }

    Timer eventGapTimer(String provider, String model) {
        return eventGapTimers.get(provider, model);
    }

    /** The outcome tag of an upstream failure: a fixed set. */
    static String outcomeOf(Throwable error) {
        if (error instanceof UpstreamStatusException status) {
            return status.status() == 429 ? "rate_limited" : status.status() >= 500 ? "server_error" : "client_error";
        }
        if (error instanceof UpstreamTimeoutException) {
            return "timeout";
        }
        if (error instanceof UpstreamUnavailableException) {
            return "unavailable";
        }
        if (error instanceof UpstreamProtocolException) {
            return "protocol_error";
        }
        if (error instanceof UpstreamBusyException) {
            // Refused here, for want of a connection: never sent.
            return "busy";
        }
        return "error";
    }
}
