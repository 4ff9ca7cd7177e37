package dev.sluice.server.observe;

import dev.sluice.core.metrics.MeterCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.netty.http.server.HttpServerMetricsRecorder;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reactor Netty's HTTP server metrics, under Reactor Netty's own names, recorded in the server's registry rather than
 * Micrometer's global one. The {@code uri} tag is the route template Reactor Netty got from the server's URI mapper,
 * the {@code method} tag a standard method or {@code other} ({@link MethodTag}); addresses are never tags.
 */
final class NettyServerMetrics implements HttpServerMetricsRecorder {

    private static final String PREFIX = "reactor.netty.http.server.";

    private final MeterCache<DistributionSummary> received;
    private final MeterCache<DistributionSummary> sent;
    private final MeterCache<Counter> errors;
    private final MeterCache<Timer> receivedTime;
    private final MeterCache<Timer> sentTime;
    private final MeterCache<Timer> responseTime;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger activeConnections = new AtomicInteger();

    NettyServerMetrics(MeterRegistry registry) {
        this.received = new MeterCache<>(tags -> DistributionSummary.builder(PREFIX + "data.received").baseUnit("bytes")
                .tag("uri", tags.get(0)).register(registry));
        this.sent = new MeterCache<>(tags -> DistributionSummary.builder(PREFIX + "data.sent").baseUnit("bytes")
                .tag("uri", tags.get(0)).register(registry));
        this.errors = new MeterCache<>(tags -> Counter.builder(PREFIX + "errors").tag("uri", tags.get(0)).register(registry));
        this.receivedTime = new MeterCache<>(tags -> Timer.builder(PREFIX + "data.received.time")
                .tags("uri", tags.get(0), "method", tags.get(1)).register(registry));
        this.sentTime = new MeterCache<>(tags -> Timer.builder(PREFIX + "data.sent.time")
                .tags("uri", tags.get(0), "method", tags.get(1), "status", tags.get(2)).register(registry));
        this.responseTime = new MeterCache<>(tags -> Timer.builder(PREFIX + "response.time")
                .tags("uri", tags.get(0), "method", tags.get(1), "status", tags.get(2)).register(registry));
        Gauge.builder(PREFIX + "connections.total", connections, AtomicInteger::get)
                .description("Connections open").register(registry);
        Gauge.builder(PREFIX + "connections.active", activeConnections, AtomicInteger::get)
                .description("Connections serving a request").register(registry);
    }

    @Override
    public void recordDataReceived(SocketAddress remoteAddress, String uri, long bytes) {
        received.get(uri).record(bytes);
    }

    @Override
    public void recordDataSent(SocketAddress remoteAddress, String uri, long bytes) {
        sent.get(uri).record(bytes);
    }

    @Override
    public void incrementErrorsCount(SocketAddress remoteAddress, String uri) {
        errors.get(uri).increment();
    }

    @Override
    public void recordDataReceivedTime(String uri, String method, Duration time) {
        receivedTime.get(uri, MethodTag.of(method)).record(time);
    }

    @Override
    public void recordDataSentTime(String uri, String method, String status, Duration time) {
        sentTime.get(uri, MethodTag.of(method), status).record(time);
    }

    @Override
    public void recordResponseTime(String uri, String method, String status, Duration time) {
        responseTime.get(uri, MethodTag.of(method), status).record(time);
    }

    @Override
    public void recordServerConnectionOpened(SocketAddress localAddress) {
        connections.incrementAndGet();
    }

    @Override
    public void recordServerConnectionClosed(SocketAddress localAddress) {
        connections.decrementAndGet();
    }

    @Override
    public void recordServerConnectionActive(SocketAddress localAddress) {
        activeConnections.incrementAndGet();
    }

    @Override
    public void recordServerConnectionInactive(SocketAddress localAddress) {
        activeConnections.decrementAndGet();
    }

    // Connection-level numbers without a URI are already covered by the ones with it; TLS, connect and resolve
    // times belong to clients.

    @Override
    public void recordDataReceived(SocketAddress remoteAddress, long bytes) {
    }

    @Override
    public void recordDataSent(SocketAddress remoteAddress, long bytes) {
    }

    @Override
    public void incrementErrorsCount(SocketAddress remoteAddress) {
    }

    @Override
    public void recordTlsHandshakeTime(SocketAddress remoteAddress, Duration time, String status) {
    }

    @Override
    public void recordConnectTime(SocketAddress remoteAddress, Duration time, String status) {
    }

    @Override
    public void recordResolveAddressTime(SocketAddress remoteAddress, Duration time, String status) {
    }
}
