package dev.sluice.core;

import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.WireFormats;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.engine.EngineSettings;
import dev.sluice.core.internal.engine.GatewayAssembly;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.keys.VirtualKeyService;
import dev.sluice.core.metrics.MetricNames;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactory;
import dev.sluice.core.request.CallReport;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Pricing;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The engine: routes each request to its provider and returns the answer as a {@link Mono} (unary) or a
 * {@link GatewayStream} of events (streaming). Cancelling a subscription cancels the upstream call. Build one with
 * {@link #builder()}; the HTTP server is one user of this API, any Reactor application can be another.
 */
public final class Gateway {

    // The composition root: the one place of the public API that knows the engine's internals, and only their assembly.
    private final GatewayAssembly engine;

    private Gateway(GatewayAssembly engine) {
        this.engine = engine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends a unary request; emits the answer of its model or, when that fails after its retries, of its first
     * fallback that answers; or fails with a {@link dev.sluice.core.error.GatewayException} (the model's own failure
     * when every fallback failed too).
     */
    public Mono<GatewayResponse> call(GatewayRequest request) {
        return engine.call(request);
    }

    /**
     * Sends a streaming request; emits the stream once its first event has arrived, saying who serves it, with its
     * events in the caller's format. Retries and fallbacks apply until that first event; a failure before it fails
     * this {@link Mono}. An OpenAI-format chat or completion stream asks the provider for its usage, which is charged
     * to the caller and passed on only if it asked too.
     */
    public Mono<GatewayStream> stream(GatewayRequest request) {
        return engine.stream(request);
    }

    /** Creating, changing and deleting virtual keys, and reading their usage. */
    public VirtualKeyService virtualKeys() {
        return engine.virtualKeys();
    }

    /** Async jobs: submit an inference now, find its result later. */
    public AsyncJobService jobs() {
        return engine.jobs();
    }

    /** Uploaded files, and the files batches write. */
    public FileService files() {
        return engine.files();
    }

    /** Batches: JSONL files of requests that the engine runs line by line. */
    public BatchService batches() {
        return engine.batches();
    }

    /** The registry this engine records its meters in, or {@code null} when it records none. */
    public MeterRegistry meterRegistry() {
        return engine.meterRegistry();
    }

    /** The wire formats this engine's callers and providers may speak, OpenAI's (the default) first. */
    public WireFormats formats() {
        return engine.formats();
    }

    /** The store this engine keeps its state in. */
    public Store store() {
        return engine.store();
    }

    /** Every model the configured catalogues name, as {@code provider/model}. */
    public List<ModelEntry> models() {
        return engine.models();
    }

    /**
     * Checks the caller alone, before anything else of its request is read: fails as {@link #call} would for a key that
     * is missing while one is required, unknown, inactive or expired; for any other caller, emits a report naming its
     * key ({@code null} for an anonymous caller).
     */
    public Mono<CallReport> identify(Caller caller) {
        return engine.identify(caller);
    }

    /** The catalogue models this caller's virtual key may use (all of them for an anonymous caller). */
    public Mono<List<ModelEntry>> models(Caller caller) {
        return engine.models(caller);
    }

    /** Names of the configured providers, in declaration order. */
    public List<String> providerNames() {
        return engine.providerNames();
    }

    /**
     * Stops running jobs (handing them back to the queue for another instance or the next start), then
     * releases every provider's connections and timers, then the store.
     */
    public Mono<Void> close() {
        return engine.close();
    }

    /**
     * One entry of the model list.
     *
     * @param id       {@code provider/model}
     * @param provider the provider's name
     */
    public record ModelEntry(String id, String provider) {
    }

    /** Collects providers and shared resources; {@link #build()} validates them and creates the adapters. */
    public static final class Builder {
        private final List<ProviderConfig> configs = new ArrayList<>();
        private final Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();
        private final Map<String, ProviderFactory> factories = new LinkedHashMap<>();
        private Scheduler timer = Schedulers.parallel();
        private ClassLoader classLoader = Gateway.class.getClassLoader();
        private Store store = Store.none();
        private Pricing pricing = Pricing.FREE;
        private Clock clock = Clock.systemUTC();
        private boolean requireVirtualKey;
        private Duration resultTtl = Duration.ofHours(1);
        private ExecutorSettings jobSettings = ExecutorSettings.DEFAULTS;
        private long maxFileBytes = 512L * 1024 * 1024;
        private ExecutorSettings batchSettings = new ExecutorSettings(4, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60));
        private int linesPerBatch = 32;
        private BatchLimits batchLimits = BatchLimits.DEFAULTS;
        private MeterRegistry meterRegistry;
        private ResilienceEvents events = ResilienceEvents.NONE;
        private FallbackDefaults fallbacks = FallbackDefaults.NONE;
        private final List<WireFormat> formats = new ArrayList<>(List.of(OpenAiFormat.OPENAI, AnthropicFormat.ANTHROPIC, GeminiFormat.GEMINI));
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder() {
        }

        /** Adds a provider whose adapter the factory for {@code config.type()} builds. */
        public Builder provider(ProviderConfig config) {
            configs.add(config);
            return this;
        }

        /** Adds a provider with an adapter built by the caller. */
        public Builder provider(ProviderConfig config, ProviderAdapter adapter) {
            configs.add(config);
            adapters.put(config.name(), adapter);
            return this;
        }

        /** Registers a factory in addition to those {@link java.util.ServiceLoader} finds. */
        public Builder factory(ProviderFactory factory) {
            factories.put(factory.type(), factory);
            return this;
        }

        /**
         * Adds a wire format to OpenAI's, Anthropic's and Gemini's: one that callers may speak (on a route of its own) or
         * that a provider's adapter speaks.
         */
        public Builder format(WireFormat format) {
            formats.add(Objects.requireNonNull(format, "format"));
            return this;
        }

        /** Where retry waits draw their jitter (default: a fast non-secure generator); a seeded one makes waits repeatable. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The scheduler for delays and timeouts (default {@link Schedulers#parallel()}). */
        public Builder timer(Scheduler timer) {
            this.timer = timer;
            return this;
        }

        /** Where virtual keys and their usage are kept (default: none, which serves anonymous callers only). */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** Prices by {@code provider/model}, to charge usage to budgets (default: everything is free). */
        public Builder pricing(Pricing pricing) {
            this.pricing = pricing;
            return this;
        }

        /** The clock for budgets, rates and expiry (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Whether a caller without a virtual key is refused with 401 (default: served). */
        public Builder requireVirtualKey(boolean requireVirtualKey) {
            this.requireVirtualKey = requireVirtualKey;
            return this;
        }

        /** How long async job results are kept when the submitter does not say (default: one hour). */
        public Builder resultTtl(Duration resultTtl) {
            this.resultTtl = resultTtl;
            return this;
        }

        /** How this instance runs async jobs: how many at once, how often it polls (default {@link ExecutorSettings#DEFAULTS}). */
        public Builder jobSettings(ExecutorSettings jobSettings) {
            this.jobSettings = jobSettings;
            return this;
        }

        /** The largest file an upload may be (default 512 MiB). */
        public Builder maxFileBytes(long maxFileBytes) {
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /**
         * How batches run: how many lines of one batch at once (default 32) and how many batches at once on this
         * instance (default 4).
         */
        public Builder batches(int linesPerBatch, int activeBatches) {
            this.linesPerBatch = linesPerBatch;
            this.batchSettings = batchSettings.withMaxConcurrency(activeBatches);
            return this;
        }

        /**
         * How long a batch's lease holds before another instance may take the batch over (default 60 s); renewed while
         * the batch runs.
         */
        public Builder batchLease(Duration lease) {
            this.batchSettings = batchSettings.withLease(lease);
            return this;
        }

        /**
         * How many claims a batch gets (default {@link ExecutorSettings#DEFAULT_MAX_ATTEMPTS}): a claim whose lease lapses
         * counts one, and the last writes what finished and fails the batch with {@code attempts_exhausted}.
         */
        public Builder batchMaxAttempts(int maxAttempts) {
            this.batchSettings = batchSettings.withMaxAttempts(maxAttempts);
            return this;
        }

        /** What one batch's input file may hold (default {@link BatchLimits#DEFAULTS}: 50,000 requests). */
        public Builder batchLimits(BatchLimits batchLimits) {
            this.batchLimits = Objects.requireNonNull(batchLimits, "batchLimits");
            return this;
        }

        /**
         * Where to record meters (see {@link MetricNames}): provider calls, tokens and cost, refusals, jobs, batches and
         * the store's connection pool. Default: none, and nothing is recorded.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** Who hears of retries, key rotations, fallbacks and opened circuits (default: nobody). */
        public Builder events(ResilienceEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The fallbacks of requests that name none (default: none); every target must name a configured provider. */
        public Builder fallbacks(FallbackDefaults fallbacks) {
            this.fallbacks = Objects.requireNonNull(fallbacks, "fallbacks");
            return this;
        }

        /** Where to look for {@link ProviderFactory} services (default: this library's class loader). */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        private void validate() {
            Objects.requireNonNull(timer, "timer");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(pricing, "pricing");
            Objects.requireNonNull(clock, "clock");
            if (resultTtl == null || resultTtl.isNegative() || resultTtl.isZero() || resultTtl.compareTo(AsyncJobService.MAX_RESULT_TTL) > 0) {
                throw new IllegalArgumentException("result_ttl: " + resultTtl + " (expected: > 0 and at most "
                        + AsyncJobService.MAX_RESULT_TTL + ")");
            }
            if (maxFileBytes <= 0) {
                throw new IllegalArgumentException("max_file_bytes: " + maxFileBytes + " (expected: > 0)");
            }
            if (linesPerBatch <= 0) {
                throw new IllegalArgumentException("lines_per_batch: " + linesPerBatch + " (expected: > 0)");
            }
        }

        /**
         * Validates the configuration and creates the adapters.
         *
         * @throws IllegalArgumentException naming the bad value and what was expected
         */
        public Gateway build() {
            validate();
            return new Gateway(new GatewayAssembly(new EngineSettings(List.copyOf(configs), Map.copyOf(adapters),
                    List.copyOf(factories.values()), classLoader, timer, store, pricing, clock, requireVirtualKey, resultTtl,
                    jobSettings, maxFileBytes, batchSettings, linesPerBatch, batchLimits, meterRegistry, events, fallbacks,
                    WireFormats.of(formats), random)));
        }
    }
}
