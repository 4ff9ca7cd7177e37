package dev.sluice.server.observe;

import dev.sluice.core.Gateway;
import dev.sluice.core.metrics.MetricNames;
import dev.sluice.core.store.Store;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.SseResponder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything one server reports about itself, wired in one place: {@code GET /metrics} and {@code GET /health/ready},
 * the request observer around the route table (request ids, request metrics, access log), the overhead header in
 * the channel pipeline, Reactor Netty's server metrics and the JVM's. Closing it flushes the access log.
 */
public final class Telemetry implements AutoCloseable {

    /** Prometheus text exposition format 0.0.4, which every Prometheus scrapes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_READY = "{\"status\":\"unavailable\",\"reason\":\"store unreachable\"}".getBytes(StandardCharsets.UTF_8);
    private static final int ACCESS_LOG_CAPACITY = 65_536;

    private final PrometheusMeterRegistry registry;
    private final Store store;
    private final Set<String> catalogue;
    private final AccessLog accessLog;
    private final JvmMeters jvm;
    private final Clock clock;

    public Telemetry(Observability observability, Gateway gateway, Clock clock) {
        this.registry = observability.registry();
        this.store = gateway.store();
        this.catalogue = gateway.models().stream().map(Gateway.ModelEntry::id).collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
        Counter dropped = Counter.builder(MetricNames.ACCESS_LOG_DROPPED).description("Access-log lines dropped: the writer fell behind")
                .register(registry);
        this.accessLog = observability.accessLog() == null ? null
                : new AccessLog(observability.accessLog(), ACCESS_LOG_CAPACITY, dropped::increment);
        this.jvm = new JvmMeters(registry);
    }

    /** Adds {@code GET /metrics} (Prometheus text) and {@code GET /health/ready} (200 while the store answers, else 503). */
    public void register(HttpRoutes routes) {
        routes.get("/metrics", this::metrics);
        routes.get("/health/ready", this::ready);
    }

    /** The route table, observed. */
    /** Counts the streams the responder relays: {@code sluice.streams.open}. */
    public void countStreams(SseResponder streams) {
        Gauge.builder(MetricNames.STREAMS_OPEN, streams, SseResponder::openStreams)
                .description("Streams being relayed to callers now").strongReference(true).register(registry);
    }

    public RequestObserver observe(HttpRoutes routes) {
        return new RequestObserver(routes, registry, accessLog, catalogue, clock);
    }

    /** The server with Reactor Netty's metrics (URIs as route templates) and the overhead header in its pipeline. */
    public HttpServer instrument(HttpServer server, HttpRoutes routes) {
        NettyServerMetrics recorder = new NettyServerMetrics(registry);
        return server
                .metrics(true, () -> recorder, uri -> routes.template(uri))
                .doOnChannelInit((observer, channel, remote) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, OverheadHeader.NAME, OverheadHeader.INSTANCE);
                    }
                });
    }

    private Mono<Void> metrics(HttpServerRequest request, HttpServerResponse response) {
        // Scraping walks every meter and builds the text: a few milliseconds on a big registry, so not on an event loop.
        return Mono.fromCallable(() -> registry.scrape().getBytes(StandardCharsets.UTF_8))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(body -> response.status(HttpResponseStatus.OK)
                        .header(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT)
                        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                        .sendByteArray(Mono.just(body))
                        .then());
    }

    private Mono<Void> ready(HttpServerRequest request, HttpServerResponse response) {
        return store.ping().flatMap(reachable -> reachable
                ? Json.ok(response, READY)
                : Json.send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, NOT_READY));
    }

    /** Writes the access-log lines still queued and stops the JVM meters' listeners; blocks briefly. */
    @Override
    public void close() {
        if (accessLog != null) {
            accessLog.close();
        }
        jvm.close();
    }
}
