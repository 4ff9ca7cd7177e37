package dev.sluice.core;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FileService;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.WireFormats;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.internal.batches.BatchExecutor;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.internal.governance.Admission;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.governance.MeteredStream;
import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.internal.jobs.InferenceJobRunner;
import dev.sluice.core.internal.jobs.JobExecutor;
import dev.sluice.core.internal.resilience.Attempt;
import dev.sluice.core.internal.resilience.ResilientCalls;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.internal.routing.Router;
import dev.sluice.core.internal.translate.ProviderBridge;
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
import dev.sluice.core.provider.StreamRules;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.Served;
import dev.sluice.core.request.ServedBy;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.resilience.ResilienceEvents;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine: routes each request to its provider and returns the answer as a {@link Mono} (unary) or a
 * {@link Flux} of events (streaming). Cancelling a subscription cancels the upstream call. Build one with
 * {@link #builder()}; the HTTP server is one user of this API, any Reactor application can be another.
 */
public final class Gateway {

    /** The most fallbacks one request may name. */
    static final int MAX_FALLBACKS = 10;

    private final Router router;
    private final ResilientCalls resilience;
    private final FallbackDefaults fallbackDefaults;
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
    private final WireFormats formats;

    private Gateway(Builder settings, Router router, Governor governor, VirtualKeyService virtualKeys, GatewayMetrics metrics) {
        this.router = router;
        this.governor = governor;
        this.virtualKeys = virtualKeys;
        this.store = settings.store;
        this.clock = settings.clock;
        this.meterRegistry = settings.meterRegistry;
        this.formats = WireFormats.of(settings.formats);
        this.resilience = new ResilientCalls(router.providers(), settings.timer, metrics.resilience(settings.events));
        this.fallbackDefaults = settings.fallbacks;
        String instance = "sluice-" + SecureIds.hex(6);
        AsyncJobRepository jobStore = metrics.jobs(store.jobs());
        BatchRepository batchStore = metrics.batches(store.batches());
        this.executor = new JobExecutor(jobStore, new InferenceJobRunner(this::call, formats), settings.clock, settings.timer, settings.jobSettings, instance);
        this.jobs = new AsyncJobService(jobStore, governor, this::resolve, settings.clock, settings.resultTtl, executor::wake);
        this.files = new FileService(store.files(), governor, settings.clock, settings.maxFileBytes, batchStore::readsFile);
        this.batchExecutor = new BatchExecutor(batchStore, files, this::call, settings.clock, settings.timer,
                settings.batchSettings, settings.linesPerBatch, settings.batchLimits, instance);
        this.batches = new BatchService(batchStore, files, governor, settings.clock, batchExecutor::wake);
        metrics.gauge(MetricNames.JOBS_RUNNING, "Async jobs running on this instance", executor::inFlight);
        metrics.gauge(MetricNames.BATCHES_RUNNING, "Batches running on this instance", batchExecutor::inFlight);
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
        return governor.identify(request.caller()).flatMap(caller -> {
            List<Route> targets = targets(request, caller);
            return governor.admit(caller, target(targets.get(0)), request.body().bytes())
                    .flatMap(reservation -> resilience.call(targets, attempt -> {
                                ProviderBridge bridge = bridge(request, attempt.route());
                                return attempt.route().provider().adapter().call(providerCall(request, attempt, bridge, false))
                                        .onErrorMap(bridge::error)
                                        .map(bridge::answer);
                            })
                            .flatMap(answered -> {
                                Served served = answered.served();
                                return governor.record(caller, reservation, served.provider() + "/" + served.model(),
                                                request.format().usage(answered.value()))
                                        .thenReturn(new GatewayResponse(answered.value(), served.provider(), served.model(), served.fallbackIndex()));
                            })
                            // Failed or cancelled before its usage was recorded: the budget gets its reservation back.
                            .doFinally(signal -> governor.release(reservation)));
        });
    }

    /**
     * Sends a streaming request; emits the provider's events as they arrive, in the caller's format. An OpenAI-format
     * chat or completion stream asks the provider for its usage, which is charged to the caller and passed on only
     * if it asked too. Retries and fallbacks apply until the first event; a {@link ServedBy} in the subscriber context
     * learns who serves the stream just before it.
     */
    public Flux<SseEvent> stream(GatewayRequest request) {
        return Flux.deferContextual(context -> governor.identify(request.caller()).flatMapMany(caller -> {
            if (!request.operation().streamable()) {
                throw new InvalidRequestException(request.operation().path() + " cannot be streamed.", "stream");
            }
            List<Route> targets = targets(request, caller);
            ServedBy servedBy = ServedBy.in(context);
            AtomicReference<String> answering = new AtomicReference<>(target(targets.get(0)));
            return governor.admit(caller, answering.get(), request.body().bytes()).flatMapMany(reservation -> MeteredStream.meter(
                    resilience.stream(targets, attempt -> {
                        ProviderBridge bridge = bridge(request, attempt.route());
                        return bridge.events(attempt.route().provider().adapter()
                                .stream(providerCall(request, attempt, bridge, true))
                                .onErrorMap(bridge::error));
                    }, served -> {
                        answering.set(served.provider() + "/" + served.model());
                        if (servedBy != null) {
                            servedBy.set(served);
                        }
                    }),
                    request.format(),
                    request.format().addedEvents(request.operation(), request.body()),
                    request.body().bytes(),
                    tokens -> governor.record(caller, reservation, answering.get(), tokens),
                    () -> governor.release(reservation)));
        }));
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

    /** The wire formats this engine's callers and providers may speak, OpenAI's (the default) first. */
    public WireFormats formats() {
        return formats;
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

    /**
     * Checks the caller alone, before anything else of its request is read: fails as {@link #call} would for a key that
     * is missing while one is required, unknown, inactive or expired; completes for any other caller.
     */
    public Mono<Void> identify(Caller caller) {
        return governor.identify(caller).then();
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
        checkServes(request, route);
        return route;
    }

    private void checkServes(GatewayRequest request, Route route) {
        Optional<String> refusal = refusal(request, route);
        if (refusal.isPresent()) {
            throw new InvalidRequestException(refusal.get(), "model");
        }
    }

    /** Why the route's provider cannot serve the request; empty when it can. */
    private Optional<String> refusal(GatewayRequest request, Route route) {
        Optional<ProviderBridge> bridge = between(request, route);
        if (bridge.isEmpty()) {
            WireFormat format = route.provider().adapter().format();
            return Optional.of("Provider '" + route.provider().name() + "' speaks the " + format.name() + " wire format; "
                    + request.operation().path() + " requests in the " + request.format().name()
                    + " format cannot be translated to it.");
        }
        if (!route.provider().adapter().supports(bridge.get().operation())) {
            return Optional.of("Provider '" + route.provider().name() + "' does not serve " + request.operation().path() + ".");
        }
        return Optional.empty();
    }

    /**
     * Where the request may go, in order: its model, then the fallbacks it names, or else those configured for its
     * model. A fallback the request names must be routable, able to serve the request and allowed to the caller's
     * key; a configured one that is not is left out.
     */
    private List<Route> targets(GatewayRequest request, Admission caller) {
        Route primary = resolve(request);
        List<String> asked = request.body().fallbacks();
        List<Route> targets = new ArrayList<>();
        targets.add(primary);
        if (asked != null) {
            if (asked.size() > MAX_FALLBACKS) {
                throw new InvalidRequestException("'fallbacks' names " + asked.size() + " models (expected: at most "
                        + MAX_FALLBACKS + ").", "fallbacks");
            }
            for (int i = 0; i < asked.size(); i++) {
                Route route;
                try {
                    route = router.route(asked.get(i), request.defaultProvider());
                    checkServes(request, route);
                } catch (InvalidRequestException e) {
                    throw new InvalidRequestException("fallbacks[" + i + "]: " + e.getMessage(), "fallbacks", e.code());
                }
                if (!allowed(caller, route)) {
                    throw AccessDeniedException.modelBlocked(caller.key().name(), target(route));
                }
                targets.add(route);
            }
            return targets;
        }
        for (String fallback : fallbackDefaults.of(target(primary))) {
            Route route = router.route(fallback, null);
            if (serves(request, route) && allowed(caller, route)) {
                targets.add(route);
            }
        }
        return targets;
    }

    private boolean serves(GatewayRequest request, Route route) {
        return refusal(request, route).isEmpty();
    }

    private static boolean allowed(Admission caller, Route route) {
        return caller.key() == null || caller.key().allows(target(route));
    }

    private static String target(Route route) {
        return route.provider().name() + "/" + route.model();
    }

    /**
     * How the request reaches the route's provider: as is, or translated to its wire format. A request is never
     * sent in a format the provider does not speak.
     */
    private ProviderBridge bridge(GatewayRequest request, Route route) {
        // Every target was checked to have one (checkServes) when the request's targets were planned.
        return between(request, route).orElseThrow(() -> new IllegalStateException(target(route) + " was planned without a bridge"));
    }

    private Optional<ProviderBridge> between(GatewayRequest request, Route route) {
        return ProviderBridge.between(request.format(), request.operation(), route.provider().adapter().format(),
                route.provider().name(), clock);
    }

    private static ProviderCall providerCall(GatewayRequest request, Attempt attempt, ProviderBridge bridge, boolean stream) {
        String model = attempt.route().model();
        return new ProviderCall(bridge.operation(), model, bridge.request(request.body(), model, stream), attempt.key());
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
        private final List<WireFormat> formats = new ArrayList<>(List.of(OpenAiFormat.OPENAI, AnthropicFormat.ANTHROPIC, GeminiFormat.GEMINI));
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
         * Adds a wire format to OpenAI's, Anthropic's and Gemini's: one that callers may speak (a route of its own) or
         * that a provider's adapter speaks.
         */
        public Builder format(WireFormat format) {
            formats.add(Objects.requireNonNull(format, "format"));
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
                providers.add(new Provider(config, metrics.decorate(config.name(), StreamRules.around(adapter, config.name()))));
            }
            Router router = new Router(providers);
            checkFallbacks(router);
            Governor governor = new Governor(store.virtualKeys(), store.usage(), pricing, clock, requireVirtualKey, metrics);
            VirtualKeyService keys = new VirtualKeyService(store.virtualKeys(), store.usage(), clock, governor::keysChanged);
            if (meterRegistry != null && store instanceof MeterBinder pool) {
                pool.bindTo(meterRegistry);
            }
            Gateway gateway = new Gateway(this, router, governor, keys, metrics);
            if (store != Store.none()) {
                gateway.executor.start();
                gateway.batchExecutor.start();
            }
            return gateway;
        }

        private void checkFallbacks(Router router) {
            for (FallbackDefaults.Entry entry : fallbacks.entries()) {
                for (int i = 0; i < entry.targets().size(); i++) {
                    String target = entry.targets().get(i);
                    String where = "fallbacks." + entry.model() + "[" + i + "]";
                    int slash = target.indexOf('/');
                    if (slash <= 0 || router.providers().stream().noneMatch(p -> p.name().equals(target.substring(0, slash)))) {
                        throw new IllegalArgumentException(where + ": \"" + target + "\" (expected: provider/model with a configured provider: "
                                + String.join(", ", router.providers().stream().map(Provider::name).toList()) + ")");
                    }
                    try {
                        router.route(target, null);
                    } catch (InvalidRequestException e) {
                        throw new IllegalArgumentException(where + ": \"" + target + "\" (" + e.getMessage() + ")");
                    }
                }
            }
        }
    }
}
