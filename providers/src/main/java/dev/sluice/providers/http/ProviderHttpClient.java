package dev.sluice.providers.http;

import dev.sluice.core.error.SecretScrubber;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.provider.ConnectionPoolStats;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.provider.UpstreamConnections;
import dev.sluice.core.sse.SseEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One provider's long-lived HTTP client over its own named, bounded connection pool: posts a body and
 * answers with the body or the events of a 2xx, or with a provider error.
 */
public final class ProviderHttpClient {

    private static final Logger log = LoggerFactory.getLogger(ProviderHttpClient.class);

    private static final byte[] EMPTY = new byte[0];
    // Connections idle longer than this are likely closed by the provider's load balancer already.
    private static final Duration MAX_IDLE_TIME = Duration.ofSeconds(60);
    private static final String UPSTREAM = "upstream";

    private final String provider;
    private final Duration timeout;
    private final Scheduler timer;
    private final ConnectionProvider connections;
    private final HttpClient client;
    private final PoolView pool;
    private final SecretScrubber scrubber;

    private ProviderHttpClient(String provider, Duration timeout, Scheduler timer, ConnectionProvider connections, HttpClient client,
                               PoolView pool, SecretScrubber scrubber) {
        this.provider = provider;
        this.pool = pool;
        this.scrubber = scrubber;
        this.timeout = timeout;
        this.timer = timer;
        this.connections = connections;
        this.client = client;
    }

    /**
     * A client for the provider over a pool sized by {@code config.connections()}: HTTP/1.1 holds a connection per
     * call, HTTP/2 multiplexes calls as streams on few connections (as many as the provider allows on each) and opens
     * another only when every connection is full.
     */
    public static ProviderHttpClient create(ProviderConfig config, Scheduler timer) {
        UpstreamConnections pool = config.connections();
        PoolView view = new PoolView();
        HttpProtocol[] protocols = UpstreamProtocols.of(pool.version(), config.baseUrl());
        ConnectionProvider.Builder connections = ConnectionProvider.builder("sluice-" + config.name())
                .maxConnections(pool.maxConnections())
                // Past these, a call is refused at once (upstream_busy) rather than queued without bound.
                .pendingAcquireMaxCount(pool.maxPending())
                .pendingAcquireTimeout(pool.acquireTimeout())
                .maxIdleTime(MAX_IDLE_TIME)
                // Reported to the engine's metrics through the view, never to a global registry.
                .metrics(true, () -> view);
        if (UpstreamProtocols.multiplexes(protocols)) {
            connections.allocationStrategy(Http2AllocationStrategy.builder()
                    .maxConnections(pool.maxConnections())
                    .maxConcurrentStreams(pool.maxStreamsPerConnection())
                    // Fill the connections there are before opening more: a burst of calls at once would otherwise
                    // open a connection each while the first is still being set up.
                    .strictConnectionReuse(true)
                    .build());
        }
        ConnectionProvider provider = connections.build();
        HttpClient client = HttpClient.create(provider).protocol(protocols).compress(true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        if (UpstreamProtocols.negotiatesOverTls(protocols)) {
            client = client.secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()));
        }
        return new ProviderHttpClient(config.name(), config.timeout(), timer, provider, client, view, scrubberFor(config));
    }

    /** Knows the provider's own key values and host, which its messages may quote in forms no pattern recognises. */
    private static SecretScrubber scrubberFor(ProviderConfig config) {
        List<String> hosts = new ArrayList<>();
        if (config.baseUrl() != null) {
            try {
                String host = URI.create(config.baseUrl()).getHost();
                if (host != null) {
                    hosts.add(host);
                }
            } catch (IllegalArgumentException notAUri) {
                // Validated when configured; a scrubber without the host still knows every address by its look.
            }
        }
        return SecretScrubber.of(config.keys().stream().map(ProviderKey::value).toList(), hosts);
    }

    /**
     * Posts the body and emits the whole body of a 2xx answer. The answer's headers must come within the provider's
     * first-byte timeout; the engine bounds the whole exchange with the request timeout.
     */
    public Mono<byte[]> post(String url, Consumer<HttpHeaders> headers, byte[] body) {
        return Mono.defer(() -> {
            AtomicBoolean answered = new AtomicBoolean();
            return send(url, headers, body)
                    .responseSingle((response, content) -> {
                        answered.set(true);
                        Mono<byte[]> bytes = content.asByteArray().defaultIfEmpty(EMPTY);
                        return isSuccess(response) ? bytes : bytes.flatMap(error -> Mono.error(statusError(response, error)));
                    })
                    // Fires only if no headers came by then: a body still arriving is the request timeout's business.
                    // Named, so that the timeout need not work a name out of the operator chain on every call.
                    .name(UPSTREAM)
                    .timeout(Mono.delay(timeout, timer).flatMap(tick -> answered.get() ? Mono.never() : Mono.just(tick)))
                    .onErrorMap(error -> UpstreamErrors.map(provider, timeout, error, scrubber))
                    .doOnSubscribe(subscription -> pool.callStarted())
                    .doFinally(signal -> pool.callEnded());
        });
    }

    /**
     * Posts the body and emits the events of a 2xx answer as they arrive. Only the first event must come
     * within the provider's timeout: a long answer may stream for longer than that. Cancelling closes the
     * upstream connection, because Reactor Netty disposes a connection whose body was not read to the end.
     */
    public Flux<SseEvent> postForEvents(String url, Consumer<HttpHeaders> headers, byte[] body) {
        return send(url, headers, body)
                .response((response, content) -> isSuccess(response)
                        ? SseBodies.events(content)
                        : errorBody(response, content))
                .name(UPSTREAM)
                .timeout(Mono.delay(timeout, timer), event -> Mono.never())
                .onErrorMap(error -> UpstreamErrors.map(provider, timeout, error, scrubber))
                .doOnSubscribe(subscription -> pool.callStarted())
                .doFinally(signal -> pool.callEnded());
    }

    private HttpClient.ResponseReceiver<?> send(String url, Consumer<HttpHeaders> headers, byte[] body) {
        return client.post()
                .uri(url)
                .send((request, out) -> {
                    headers.accept(request.requestHeaders());
                    request.requestHeaders().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    // A fresh wrapper per attempt: Netty releases it once written, and a retried send needs another.
                    return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
                });
    }

    /** The pool's connections and streams, for metrics. */
    public ConnectionPoolStats poolStats() {
        return pool;
    }

    /** Closes the pool's connections; the client is unusable afterwards. */
    public Mono<Void> close() {
        return connections.disposeLater();
    }

    private Flux<SseEvent> errorBody(HttpClientResponse response, ByteBufFlux content) {
        return content.aggregate().asByteArray().defaultIfEmpty(EMPTY)
                .flatMapMany(error -> Flux.error(statusError(response, error)));
    }

    /** The provider's error, its full text logged (without secrets) and its body scrubbed for the caller. */
    private UpstreamStatusException statusError(HttpClientResponse response, byte[] body) {
        Instant now = Instant.ofEpochMilli(timer.now(TimeUnit.MILLISECONDS));
        int status = response.status().code();
        log.info("provider '{}' answered {}: {}", provider, status, scrubber.forLog(UpstreamErrors.shortened(body)));
        return new UpstreamStatusException(provider, status, scrubber.forCaller(body), RetryAfter.from(response.responseHeaders(), now).orElse(null));
    }

    private static boolean isSuccess(HttpClientResponse response) {
        int code = response.status().code();
        return code >= 200 && code < 300;
    }
}
