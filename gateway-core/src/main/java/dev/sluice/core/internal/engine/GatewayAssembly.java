package dev.sluice.core.internal.engine;

import dev.sluice.core.Gateway;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.batches.BatchExecutor;
import dev.sluice.core.internal.batches.StoredBatches;
import dev.sluice.core.internal.files.StoredFiles;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.internal.jobs.InferenceJobRunner;
import dev.sluice.core.internal.jobs.JobExecutor;
import dev.sluice.core.internal.jobs.StoredAsyncJobs;
import dev.sluice.core.internal.keys.StoredVirtualKeys;
import dev.sluice.core.internal.resilience.ResilientCalls;
import dev.sluice.core.internal.routing.FallbackPlan;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Router;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.keys.VirtualKeyService;
import dev.sluice.core.metrics.GatewayMetrics;
import dev.sluice.core.metrics.MetricNames;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.format.WireFormats;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.provider.StreamRules;
import dev.sluice.core.request.CallReport;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/**
 * One engine, wired: the providers behind their meters, governance, the call pipelines, and the services and executors
 * of keys, jobs, files and batches, all over one store. {@link Gateway} is its public face.
 */
public final class GatewayAssembly {

    private final Router router;
    private final Governor governor;
    private final CallEngine calls;
    private final VirtualKeyService virtualKeys;
    private final AsyncJobService jobs;
    private final JobExecutor jobExecutor;
    private final FileService files;
    private final BatchService batches;
    private final BatchExecutor batchExecutor;
    private final Store store;
    private final MeterRegistry meterRegistry;
    private final WireFormats formats;

    /** Creates the adapters and wires them; starts the executors when there is a store to run work from. */
    public GatewayAssembly(EngineSettings settings) {
        SecureIds.warmUp();
        GatewayMetrics metrics = GatewayMetrics.of(settings.meterRegistry(), settings.configs());
        this.router = new Router(providers(settings, metrics));
        FallbackPlan.checkFallbacks(router, settings.fallbacks());
        this.store = settings.store();
        this.meterRegistry = settings.meterRegistry();
        this.formats = settings.formats();
        this.governor = new Governor(store.virtualKeys(), store.usage(), settings.pricing(), settings.clock(),
                settings.requireVirtualKey(), metrics);
        this.virtualKeys = new StoredVirtualKeys(store.virtualKeys(), store.usage(), settings.clock(), governor::keysChanged);
        if (meterRegistry != null && store instanceof MeterBinder pool) {
            pool.bindTo(meterRegistry);
        }
        FallbackPlan plan = new FallbackPlan(router, settings.fallbacks(), settings.clock());
        this.calls = new CallEngine(governor, plan,
                new ResilientCalls(router.providers(), settings.timer(), metrics.resilience(settings.events()), settings.random()));
        String instance = "sluice-" + SecureIds.hex(6);
        AsyncJobRepository jobStore = metrics.jobs(store.jobs());
        BatchRepository batchStore = metrics.batches(store.batches());
        this.jobExecutor = new JobExecutor(jobStore, new InferenceJobRunner(calls::call, settings.formats()), settings.clock(), settings.timer(),
                settings.jobSettings(), instance);
        this.jobs = new StoredAsyncJobs(jobStore, governor, plan::resolve, settings.clock(), settings.resultTtl(), jobExecutor::wake);
        this.files = new StoredFiles(store.files(), governor, settings.clock(), settings.maxFileBytes(), batchStore::readsFile);
        this.batchExecutor = new BatchExecutor(batchStore, files, calls::call, settings.clock(), settings.timer(),
                settings.random(), settings.batchSettings(), settings.linesPerBatch(), settings.batchLimits(), instance);
        this.batches = new StoredBatches(batchStore, files, governor, settings.clock(), batchExecutor::wake);
        metrics.gauge(MetricNames.JOBS_RUNNING, "Async jobs running on this instance", jobExecutor::inFlight);
        metrics.gauge(MetricNames.BATCHES_RUNNING, "Batches running on this instance", batchExecutor::inFlight);
        if (store != Store.none()) {
            jobExecutor.start();
            batchExecutor.start();
        }
    }

    private static List<Provider> providers(EngineSettings settings, GatewayMetrics metrics) {
        ProviderFactories known = ProviderFactories.load(settings.classLoader(), settings.factories());
        ProviderContext context = new ProviderContext(settings.timer());
        List<Provider> providers = new ArrayList<>();
        for (ProviderConfig config : settings.configs()) {
            ProviderAdapter adapter = settings.adapters().get(config.name());
            if (adapter == null) {
                adapter = known.factoryFor(config).create(config, context);
            }
            // Metered outside the stream rules, so that a stream they end as cut short counts as failed.
            providers.add(new Provider(config, metrics.decorate(config.name(), StreamRules.around(adapter, config.name()))));
        }
        return providers;
    }

    public WireFormats formats() {
        return formats;
    }

    public Mono<GatewayResponse> call(GatewayRequest request) {
        return calls.call(request);
    }

    public Mono<GatewayStream> stream(GatewayRequest request) {
        return calls.stream(request);
    }

    public VirtualKeyService virtualKeys() {
        return virtualKeys;
    }

    public AsyncJobService jobs() {
        return jobs;
    }

    public FileService files() {
        return files;
    }

    public BatchService batches() {
        return batches;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public Store store() {
        return store;
    }

    /** Every model the configured catalogues name. */
    public List<Gateway.ModelEntry> models() {
        List<Gateway.ModelEntry> models = new ArrayList<>();
        for (Provider provider : router.providers()) {
            for (String model : provider.config().models()) {
                models.add(new Gateway.ModelEntry(provider.name() + "/" + model, provider.name()));
            }
        }
        return models;
    }

    /** The catalogue models this caller's virtual key may use (all of them for an anonymous caller). */
    public Mono<List<Gateway.ModelEntry>> models(Caller caller) {
        return governor.identify(caller).map(admission -> admission.anonymous() ? models()
                : models().stream().filter(model -> admission.key().allows(model.id())).toList());
    }

    /** Fails as a call would for a caller that cannot be served; names the key of any other. */
    public Mono<CallReport> identify(Caller caller) {
        return governor.identify(caller)
                .map(admission -> new CallReport(admission.anonymous() ? null : admission.key().name(), null, null, null, 0));
    }

    public List<String> providerNames() {
        return router.providers().stream().map(Provider::name).toList();
    }

    /** Hands running work back, then releases the providers, then the store. */
    public Mono<Void> close() {
        return Flux.merge(jobExecutor.stop(), batchExecutor.stop()).onErrorResume(e -> Mono.empty())
                .thenMany(Flux.fromIterable(router.providers()))
                .flatMap(provider -> provider.adapter().close().onErrorResume(e -> Mono.empty()))
                .then(store.close());
    }
}
