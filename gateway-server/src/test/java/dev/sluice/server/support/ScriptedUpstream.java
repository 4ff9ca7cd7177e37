package dev.sluice.server.support;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An OpenAI-compatible upstream whose stream the test writes event by event, and which records when the
 * gateway cancels it. Serves one streaming request.
 */
public final class ScriptedUpstream implements AutoCloseable {

    private final Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final DisposableServer server;

    public ScriptedUpstream() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> request.receive().then(
                        response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                                .send(events.asFlux()
                                        .doOnSubscribe(subscription -> requested.countDown())
                                        .doOnCancel(cancelled::countDown)
                                        .map(data -> Unpooled.copiedBuffer("data: " + data + "\n\n", StandardCharsets.UTF_8)), chunk -> true)
                                .then())))
                .bindNow(Duration.ofSeconds(10));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Sends one event's data to the gateway now. */
    public void emit(String data) {
        events.tryEmitNext(data).orThrow();
    }

    public void finish() {
        events.tryEmitComplete().orThrow();
    }

    public CountDownLatch requested() {
        return requested;
    }

    public CountDownLatch cancelled() {
        return cancelled;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
