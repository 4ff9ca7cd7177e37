package dev.sluice.core;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.batches.BatchExecutor;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.governance.MeteredStream;
import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.internal.jobs.InferenceJobRunner;
import dev.sluice.core.internal.jobs.JobExecutor;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.internal.routing.Router;
import dev.sluice.core.internal.translate.ProviderBridge;
import dev.sluice.core.internal.usage.UsageReader;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.keys.VirtualKeyService;
import dev.sluice.core.metrics.GatewayMetrics;
import dev.sluice.core.metrics.MetricNames;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.provider.ProviderFactory;
import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.Operation;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Pricing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The engine: routes each request to its provider and returns the answer as a {@link Mono} (unary) or a
 * {@link Flux} of events (streaming). Cancelling a subscription cancels the upstream call. Build one with
 * {@link #builder()}; the HTTP server is one user of this API, any Reactor application can be another.
 */
public final class Gateway {

    private final Router router;
    private final Governor governor;
    private final VirtualKeyService virtualKeys;
    private final Store store;
    private final AsyncJobService jobs;
    private final JobExecutor executor;
    private final FileService files;
    private final BatchService batches;
    private final BatchExecutor batchExecutor;
    private final Clock clock;
    private final MeterRegistry meterRegistry;

    private Gateway(Builder settings, Router router, Governor governor, VirtualKeyService virtualKeys, GatewayMetrics metrics) {
        this.router = router;
        this.governor = governor;
        this.virtualKeys = virtualKeys;
        this.store = settings.store;
        this.clock = settings.clock;
        this.meterRegistry = settings.meterRegistry;
        String instance = "sluice-" + SecureIds.hex(6);
        AsyncJobRepository jobStore = metrics.jobs(store.jobs());
        BatchRepository batchStore = metrics.batches(store.batches());
        this.executor = new JobExecutor(jobStore, new InferenceJobRunner(this::call), settings.clock, settings.timer, settings.jobSettings, instance);
        this.jobs = new AsyncJobService(jobStore, governor, this::resolve, settings.clock, settings.resultTtl, executor::wake);
        this.files = new FileService(store.files(), governor, settings.clock, settings.maxFileBytes);
        this.batchExecutor = new BatchExecutor(batchStore, files, this::call, settings.clock, settings.timer,
                settings.batchSettings, settings.linesPerBatch, instance);
        this.batches = new BatchService(batchStore, files, governor, settings.clock, batchExecutor::wake);
        metrics.gauge(MetricNames.JOBS_RUNNING, "Async jobs running on this instance", executor::inFlight);
        metrics.gauge(MetricNames.BATCHES_RUNNING, "Batches running on this instance", batchExecutor::inFlight);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sends a unary request; emits the provider's answer, or fails with a {@link dev.sluice.core.error.GatewayException}. */
    public Mono<GatewayResponse> call(GatewayRequest request) {
        return governor.identify(request.caller()).flatMap(caller -> {
            Route route = resolve(request);
            ProviderBridge bridge = bridge(request, route);
            String target = route.provider().name() + "/" + route.model();
            return governor.admit(caller, target)
                    .flatMap(admitted -> route.provider().adapter().call(providerCall(request, route, bridge, false)))
                    .onErrorMap(bridge::error)
                    .map(bridge::answer)
                    .flatMap(body -> governor.record(caller, target, UsageReader.fromBody(body))
                            .thenReturn(new GatewayResponse(body, route.provider().name(), route.model())));
        });
    }

    /**
     * Sends a streaming request; emits the provider's events as they arrive, in the caller's format. An OpenAI-format
     * chat or completion stream asks the provider for its usage, which is charged to the caller and passed on only
     * if it asked too.
     */
    public Flux<SseEvent> stream(GatewayRequest request) {
        return governor.identify(request.caller()).flatMapMany(caller -> {
            if (!request.operation().streamable()) {
                throw new InvalidRequestException(request.operation().path() + " cannot be streamed.", "stream");
            }
            Route route = resolve(request);
            ProviderBridge bridge = bridge(request, route);
            String target = route.provider().name() + "/" + route.model();
            boolean openAiUsageChunk = request.format() == WireFormat.OPENAI && request.operation() != Operation.RESPONSES;
            return governor.admit(caller, target).flatMapMany(admitted -> MeteredStream.meter(
                    bridge.events(route.provider().adapter().stream(providerCall(request, route, bridge, openAiUsageChunk))
                            .onErrorMap(bridge::error)),
                    openAiUsageChunk && !request.body().usageRequested(),
                    tokens -> governor.record(caller, target, tokens)));
        });
    }

    /** Creating, changing and deleting virtual keys, and reading their usage. */
    public VirtualKeyService virtualKeys() {
        return virtualKeys;
    }

    /** Async jobs: submit an inference now, find its result later. */
    public AsyncJobService jobs() {
        return jobs;
    }

    /** Uploaded files, and the files batches write. */
    public FileService files() {
        return files;
    }

    /** Batches: JSONL files of requests that the engine runs line by line. */
    public BatchService batches() {
        return batches;
    }

    /** The registry this engine records its meters in, or {@code null} when it records none. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The store this engine keeps its state in. */
    public Store store() {
        return store;
    }

    /** Every model the configured catalogues name, as {@code provider/model}. */
    public List<ModelEntry> models() {
        List<ModelEntry> models = new ArrayList<>();
        for (Provider provider : router.providers()) {
            for (String model : provider.config().models()) {
                models.add(new ModelEntry(provider.name() + "/" + model, provider.name()));
            }
        }
        return models;
    }

    /** The catalogue models this caller's virtual key may use (all of them for an anonymous caller). */
    public Mono<List<ModelEntry>> models(Caller caller) {
        return governor.identify(caller).map(admission -> admission.anonymous() ? models()
                : models().stream().filter(model -> admission.key().allows(model.id())).toList());
    }

    /** Names of the configured providers, in declaration order. */
    public List<String> providerNames() {
        return router.providers().stream().map(Provider::name).toList();
    }

    /**
     * Stops running jobs (handing them back to the queue for another instance or the next start), then
     * releases every provider's connections and timers, then the store.
     */
    public Mono<Void> close() {
        return Flux.merge(executor.stop(), batchExecutor.stop()).onErrorResume(e -> Mono.empty())
                .thenMany(Flux.fromIterable(router.providers()))
                .flatMap(provider -> provider.adapter().close().onErrorResume(e -> Mono.empty()))
                .then(store.close());
    }

    private Route resolve(GatewayRequest request) {
        Route route = router.route(request);
        ProviderBridge bridge = bridge(request, route);
        if (!route.provider().adapter().supports(bridge.operation())) {
            throw new InvalidRequestException("Provider '" + route.provider().name() + "' does not serve "
                    + request.operation().path() + ".", "model");
        }
        return route;
    }

    /**
     * How the request reaches the route's provider: as is, or translated to its wire format. A request is never
     * sent in a format the provider does not speak.
     */
    private ProviderBridge bridge(GatewayRequest request, Route route) {
        WireFormat format = route.provider().adapter().format();
        ProviderBridge bridge = ProviderBridge.between(request.format(), request.operation(), format, clock);
        if (bridge == null) {
            throw new InvalidRequestException("Provider '" + route.provider().name() + "' speaks the " + lower(format)
                    + " wire format; " + request.operation().path() + " requests in the " + lower(request.format())
                    + " format cannot be translated to it.", "model");
        }
        return bridge;
    }

    private static String lower(WireFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    private static ProviderCall providerCall(GatewayRequest request, Route route, ProviderBridge bridge, boolean askUsage) {
        byte[] body = bridge.request(request.body(), route.model(), askUsage);
        return new ProviderCall(bridge.operation(), route.model(), body, route.provider().pickKey(route.model()));
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
        private MeterRegistry meterRegistry;

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
         * Where to record meters (see {@link MetricNames}): provider calls, tokens and cost, refusals, jobs, batches and
         * the store's connection pool. Default: none, and nothing is recorded.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
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
            if (resultTtl == null || resultTtl.isNegative() || resultTtl.isZero()) {
                throw new IllegalArgumentException("result_ttl: " + resultTtl + " (expected: > 0)");
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
            SecureIds.warmUp();
            ProviderFactories known = ProviderFactories.load(classLoader, factories.values());
            ProviderContext context = new ProviderContext(timer);
            GatewayMetrics metrics = GatewayMetrics.of(meterRegistry, configs);
            List<Provider> providers = new ArrayList<>();
            for (ProviderConfig config : configs) {
                ProviderAdapter adapter = adapters.get(config.name());
                if (adapter == null) {
                    adapter = known.factoryFor(config).create(config, context);
                }
                providers.add(new Provider(config, metrics.decorate(config.name(), adapter)));
            }
            Governor governor = new Governor(store.virtualKeys(), store.usage(), pricing, clock, requireVirtualKey, metrics);
            VirtualKeyService keys = new VirtualKeyService(store.virtualKeys(), store.usage(), clock, governor::keysChanged);
            if (meterRegistry != null && store instanceof MeterBinder pool) {
                pool.bindTo(meterRegistry);
            }
            Gateway gateway = new Gateway(this, new Router(providers), governor, keys, metrics);
            if (store != Store.none()) {
                gateway.executor.start();
                gateway.batchExecutor.start();
            }
            return gateway;
        }
    }
}
