package dev.sluice.server.support;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream that streams every chat request as a few events spaced in time, over HTTP/1.1 or
 * HTTP/2 in clear text, and records what the gateway's connections looked like: how many there were, and how many
 * streams were open at once.
 */
public final class DripUpstream implements AutoCloseable {

    private static final String EVENT = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"drip \"},\"finish_reason\":null}]}\n\n";
    private static final String LAST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n";

    private final Set<Object> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final DisposableServer server;

    /**
     * @param protocol        HTTP/1.1, or H2C (prior knowledge)
     * @param maxStreams      the HTTP/2 streams it allows on one connection
     * @param events          events before the last
     * @param gap             the time between two events
     */
    public DripUpstream(HttpProtocol protocol, int maxStreams, int events, Duration gap) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .protocol(protocol)
                .http2Settings(settings -> settings.maxConcurrentStreams(maxStreams))
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> {
                    request.withConnection(connection -> connections.add(connectionOf(connection.channel())));
                    peak.accumulateAndGet(open.incrementAndGet(), Math::max);
                    Flux<String> drip = Flux.interval(gap).take(events).map(tick -> EVENT).concatWith(Flux.just(LAST));
                    return request.receive().then(response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                            .send(drip.map(event -> Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)), chunk -> true)
                            .then()
                            .doFinally(signal -> {
                                open.decrementAndGet();
                                served.incrementAndGet();
                            }));
                }))
                .bindNow(Duration.ofSeconds(10));
    }

    /** An HTTP/2 stream is a child channel of its connection's. */
    private static Object connectionOf(Channel channel) {
        return channel.parent() != null ? channel.parent().id() : channel.id();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Distinct connections the gateway opened. */
    public int connections() {
        return connections.size();
    }

    /** The most streams open at once. */
    public int peakStreams() {
        return peak.get();
    }

    public int served() {
        return served.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
