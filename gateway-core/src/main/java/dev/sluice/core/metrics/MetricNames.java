package dev.sluice.core.metrics;

/**
 * Every meter name and tag key Sluice records, in one place, so that dashboards, alerts and new code (retries,
 * fallbacks and key rotations are named here before they are recorded) agree on them. Names are lowercase, dotted,
 * in base units; the Prometheus registry turns {@code sluice.requests} into {@code sluice_requests_seconds_*}.
 * Tag values come only from bounded sets: configured provider names, catalogue model names (else
 * {@link #OTHER}), route templates, outcomes and status classes; never a key, a user or a raw path.
 */
public final class MetricNames {

    /** Timer of HTTP requests, from the request line to the last byte: route, method, status, outcome, provider, model. */
    public static final String REQUESTS = "sluice.requests";
    /** Gauge of the streams (SSE responses) being relayed to callers now. */
    public static final String STREAMS_OPEN = "sluice.streams.open";
    /** Timer (histogram) of the time a request spent in the gateway, excluding upstream calls: route, provider. */
    public static final String REQUEST_OVERHEAD = "sluice.request.overhead";
    /**
     * Timer of upstream calls, to the last byte: provider, model, mode, outcome ({@code busy} counts the calls refused here
     * for want of a connection).
     */
    public static final String UPSTREAM_REQUESTS = "sluice.upstream.requests";
    /** Timer from sending an upstream stream request to its first event (time to first token): provider, model. */
    public static final String UPSTREAM_FIRST_EVENT = "sluice.upstream.first.event";
    /** Timer of the gaps between consecutive events of an upstream stream (inter-token gap): provider, model. */
    public static final String UPSTREAM_EVENT_GAP = "sluice.upstream.event.gap";
    /** Counter of tokens the providers reported: provider, model, type ({@code input} or {@code output}). */
    public static final String TOKENS = "sluice.tokens";
    /** Counter of spend in US dollars, tokens times the configured pricing: provider, model. */
    public static final String COST = "sluice.cost";
    /** Counter of requests refused by governance: reason (the error type: {@code rate_limited}, {@code budget_exceeded}, ...). */
    public static final String REFUSALS = "sluice.governance.refusals";
    /** Counter of upstream calls sent again after a retryable failure: provider, reason. Recorded by the retry rules. */
    public static final String RETRIES = "sluice.upstream.retries";
    /** Counter of requests that fell back to another provider: provider (the one given up), fallback. Recorded by the fallback plan. */
    public static final String FALLBACKS = "sluice.routing.fallbacks";
    /** Counter of calls moved to another key of the same provider after a key failed: provider. Recorded on key rotation. */
    public static final String KEY_ROTATIONS = "sluice.provider.key.rotations";
    /** Counter of async jobs entering a state: state ({@code submitted}, {@code completed}, {@code failed}, {@code cancelled}). */
    public static final String JOBS = "sluice.async.jobs";
    /** Gauge of async jobs running on this instance. */
    public static final String JOBS_RUNNING = "sluice.async.jobs.running";
    /** Counter of batches entering a state: state (the batch status: {@code validating}, {@code in_progress}, ..., {@code completed}). */
    public static final String BATCHES = "sluice.batches";
    /** Gauge of batches running on this instance. */
    public static final String BATCHES_RUNNING = "sluice.batches.running";
    /** Counter of batch lines finished: state ({@code succeeded} or {@code failed}). */
    public static final String BATCH_LINES = "sluice.batch.lines";
    /** Counter of access-log lines dropped because the writer fell behind. */
    public static final String ACCESS_LOG_DROPPED = "sluice.access.log.dropped";
    /** Prefix of the store's connection-pool gauges ({@code r2dbc.pool.acquired}, ...), named as Spring Boot names them. */
    public static final String STORE_POOL = "r2dbc.pool";
    /**
     * Prefix of the provider connection-pool gauges, named as Reactor Netty names them: {@code .total.connections},
     * {@code .idle.connections}, {@code .pending.connections}, {@code .active.streams}, {@code .streams.per.connection};
     * tagged with the provider.
     */
    public static final String PROVIDER_POOL = "reactor.netty.connection.provider";

    public static final String TAG_PROVIDER = "provider";
    public static final String TAG_MODEL = "model";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_METHOD = "method";
    public static final String TAG_STATUS = "status";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_MODE = "mode";
    public static final String TAG_TYPE = "type";
    public static final String TAG_REASON = "reason";
    public static final String TAG_STATE = "state";
    public static final String TAG_FALLBACK = "fallback";
    public static final String TAG_NAME = "name";

    /** The model tag of a model no catalogue lists: model names callers send are unbounded. */
    public static final String OTHER = "other";
    /** The provider or model tag of a request that never reached a provider. */
    public static final String NONE = "none";

    private MetricNames() {
    }
}
