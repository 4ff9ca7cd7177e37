package dev.sluice.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.Gateway;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import dev.sluice.providers.http.EventLoopTimer;
import dev.sluice.server.admin.VirtualKeyRoutes;
import dev.sluice.server.anthropic.AnthropicRoutes;
import dev.sluice.server.async.AsyncRoutes;
import dev.sluice.server.batches.BatchRoutes;
import dev.sluice.server.config.AuthSettings;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.files.FileRoutes;
import dev.sluice.server.genai.GenAiRoutes;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerCheck;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.Cors;
import dev.sluice.server.http.ErrorResponder;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.InflightBodies;
import dev.sluice.server.http.RequestHeaderTimeout;
import dev.sluice.server.http.SseResponder;
import dev.sluice.server.observe.Observability;
import dev.sluice.server.observe.Telemetry;
import dev.sluice.server.openai.OpenAiRoutes;
import dev.sluice.server.tls.ServerTransport;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** The HTTP face of one {@link Gateway}: binds the server and wires the routes. Closing it frees both. */
public final class SluiceServer implements AutoCloseable {

    private static final Duration BODY_TIMEOUT_BACKSTOP = Duration.ofSeconds(5);
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final DisposableServer server;
    private final Gateway gateway;
    private final Telemetry telemetry;
    private final Duration shutdownGrace;
    private final InflightBodies inflight;
    private final ServerTransport transport;

    private SluiceServer(DisposableServer server, Gateway gateway, Telemetry telemetry, Duration shutdownGrace, InflightBodies inflight,
                         ServerTransport transport) {
        this.server = server;
        this.transport = transport;
        this.gateway = gateway;
        this.telemetry = telemetry;
        this.shutdownGrace = shutdownGrace;
        this.inflight = inflight;
    }

    /**
     * Opens the store, builds the engine from the configuration, stores the virtual keys the file declares,
     * and starts serving.
     */
    public static Mono<SluiceServer> start(SluiceConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(SluiceConfig)}, with the clock that budgets, rates and expiry follow. */
    public static Mono<SluiceServer> start(SluiceConfig config, Clock clock) {
        return start(config, clock, Observability.standard(config.server().accessLog()));
    }

    /**
     * As {@link #start(SluiceConfig, Clock)}, reporting to the given registry (which the engine records into too)
     * and access log.
     */
    public static Mono<SluiceServer> start(SluiceConfig config, Clock clock, Observability observability) {
        return R2dbcStore.open(config.store().url(), config.store().maxConnections()).flatMap(store -> Mono
                .fromCallable(() -> {
                    Gateway.Builder builder = Gateway.builder()
                            .store(store)
                            .clock(clock)
                            // A request's timeouts and back-offs are kept by its own event loop.
                            .timer(EventLoopTimer.withFallback(Schedulers.parallel()))
                            .resultTtl(Duration.ofSeconds(config.async().resultTtlSeconds()))
                            .jobSettings(ExecutorSettings.DEFAULTS.withMaxConcurrency(config.async().maxConcurrency())
                                    .withLease(Duration.ofSeconds(config.async().leaseSeconds()))
                                    .withMaxAttempts(config.async().maxAttempts()))
                            .maxFileBytes(config.files().maxBytes())
                            .batches(config.batch().maxConcurrencyPerBatch(), config.batch().maxActiveBatches())
                            .batchLease(Duration.ofSeconds(config.batch().leaseSeconds()))
                            .batchMaxAttempts(config.batch().maxAttempts())
                            .batchLimits(config.batch().limits())
                            .meterRegistry(observability.registry())
                            .pricing(config.pricing())
                            .fallbacks(config.fallbacks())
                            .requireVirtualKey(config.auth().requireVirtualKey());
                    config.providers().forEach(builder::provider);
                    return builder.build();
                })
                // Building loads provider services and seeds randomness: blocking work, never for an event loop
                // (the store may answer on one).
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(error -> store.close().then(Mono.error(error)))
                .flatMap(gateway -> Flux.fromIterable(config.virtualKeys())
                        .concatMap(gateway.virtualKeys()::declare)
                        .then(start(config.server(), config.auth(), gateway, observability, clock))
                        .onErrorResume(error -> gateway.close().then(Mono.error(error)))));
    }

    /** Serves an engine built elsewhere, with the admin API off. */
    public static Mono<SluiceServer> start(ServerSettings settings, Gateway gateway) {
        return start(settings, AuthSettings.defaults(), gateway);
    }

    /**
     * Serves an engine built elsewhere; the server takes ownership and closes it on {@link #close()}. Its
     * {@code /metrics} show the server's and the JVM's meters, and the engine's only if it was built with the same
     * registry: see {@link #start(ServerSettings, AuthSettings, Gateway, Observability, Clock)}.
     */
    public static Mono<SluiceServer> start(ServerSettings settings, AuthSettings auth, Gateway gateway) {
        return start(settings, auth, gateway, Observability.standard(settings.accessLog()), Clock.systemUTC());
    }

    /** Serves an engine built elsewhere, reporting to the given registry and access log. */
    public static Mono<SluiceServer> start(ServerSettings settings, AuthSettings auth, Gateway gateway, Observability observability,
                                           Clock clock) {
        Telemetry telemetry = new Telemetry(observability, gateway, clock);
        ObjectMapper json = new ObjectMapper();
        ErrorResponder errors = new ErrorResponder(gateway.formats());
        HttpRoutes routes = new HttpRoutes(errors, new Cors(settings.corsAllowedOrigins()));
        routes.get("/health", (request, response) -> response
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendByteArray(Mono.just(HEALTHY)));
        telemetry.register(routes);
        InflightBodies inflight = new InflightBodies(settings.maxInflightBodyBytes());
        EventLoopTimer timer = EventLoopTimer.withFallback(Schedulers.parallel());
        // Every caller is identified before its body is read, so a refused one never gets a large body buffered.
        CallerCheck callers = headers -> gateway.identify(CallerHeaders.from(headers));
        BodyReader bodies = new BodyReader(settings.maxBodyBytes(), inflight, callers, settings.readTimeout(), timer);
        SseResponder sse = new SseResponder(errors);
        telemetry.countStreams(sse);
        new OpenAiRoutes(gateway, bodies, sse, json, callers).register(routes);
        new AnthropicRoutes(gateway, bodies, sse, json).register(routes);
        new GenAiRoutes(gateway, bodies, sse).register(routes);
        new AsyncRoutes(gateway.jobs(), bodies.withCallerCheck(AsyncRoutes.submitters(callers)), json).register(routes);
        new FileRoutes(gateway.files(), json, callers, inflight, settings.uploadTimeout(), timer).register(routes);
        new BatchRoutes(gateway.batches(), bodies, json).register(routes);
        String adminToken = auth.adminToken();
        if (adminToken != null) {
            // The admin token, checked before the body is read, guards these routes instead of a virtual key.
            new VirtualKeyRoutes(gateway.virtualKeys(), adminToken, bodies.withCallerCheck(CallerCheck.none()), json,
                    fields -> ConfigLoader.virtualKey(fields, "request body")).register(routes);
        }
        // Reading the certificate files blocks.
        return Mono.fromCallable(() -> ServerTransport.open(settings)).subscribeOn(Schedulers.boundedElastic())
                .flatMap(transport -> transport.apply(telemetry.instrument(HttpServer.create(), routes))
                        .host(settings.host())
                        .port(settings.port())
                        // Reactor Netty's graceful disposal waits for the requests under way on the connections of this group.
                        .channelGroup(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE))
                        .idleTimeout(settings.idleTimeout())
                        // A backstop behind the read and upload timeouts, which answer 408: it closes a connection whose body
                        // is still trickling in after its request was answered without reading it.
                        .requestTimeout(max(settings.readTimeout(), settings.uploadTimeout()).plus(BODY_TIMEOUT_BACKSTOP))
                        .doOnChannelInit((observer, channel, remote) ->
                                RequestHeaderTimeout.install(channel.pipeline(), settings.requestHeaderTimeout()))
                        .handle(inflight.scoped(telemetry.observe(routes)))
                        .bind()
                        .map(server -> new SluiceServer(server, gateway, telemetry, settings.shutdownGrace(), inflight, transport))
                        .doOnError(error -> transport.dispose()))
                .onErrorResume(error -> Mono.fromRunnable(telemetry::close).subscribeOn(Schedulers.boundedElastic())
                        .then(Mono.error(error)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** The address callers use, e.g. {@code http://127.0.0.1:8080}, or {@code https://...} with TLS. */
    public String baseUrl() {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return transport.scheme() + "://" + host + ":" + port();
    }

    /** The bytes of request bodies held in memory now, across all requests (at most {@code server.max_inflight_body_bytes}). */
    public long inflightBodyBytes() {
        return inflight.held();
    }

    public Gateway gateway() {
        return gateway;
    }

    /**
     * Stops accepting connections, lets the requests and streams under way finish within the shutdown grace (closing
     * whatever is still open then), and then stops the engine: its running jobs and batches are handed back to the
     * store for another instance or the next start, its pools released.
     */
    public Mono<Void> closeLater() {
        // disposeNow waits for the requests under way: on a thread that may block, never on an event loop.
        return Mono.fromRunnable(() -> server.disposeNow(shutdownGrace.isZero() ? Duration.ofMillis(1) : shutdownGrace))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(error -> Mono.empty())
                .then(Mono.fromRunnable(transport::dispose))
                .then(gateway.close())
                // Flushing the access log waits for its writer thread.
                .then(Mono.fromRunnable(telemetry::close).subscribeOn(Schedulers.boundedElastic()))
                .then();
    }

    /** {@link #closeLater()}, waiting for it: for {@code main} and tests, never for an event loop. */
    @Override
    public void close() {
        closeLater().block(shutdownGrace.plusSeconds(30));
    }
}
