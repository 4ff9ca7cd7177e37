package dev.sluice.server.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An OpenAI-compatible upstream that misbehaves as the test scripts it: each request to {@code /v1/chat/completions}
 * takes the next scripted {@link Reply} (the last one again once the script is used up), and the upstream records
 * every request it got (its key and body), so tests can count the gateway's attempts.
 */
public final class FaultyUpstream implements AutoCloseable {

    /** How the upstream answers one request. */
    @FunctionalInterface
    public interface Reply {
        Publisher<Void> send(HttpServerRequest request, HttpServerResponse response);
    }

    /**
     * One request as the upstream got it.
     *
     * @param authorization its {@code Authorization} header
     * @param body          its body
     */
    public record Received(String authorization, String body) {
    }

    public static final String ANSWER = """
            {"id":"chatcmpl-ok","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,\
            "message":{"role":"assistant","content":"fine"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private final Queue<Function<HttpServerRequest, Reply>> script = new ConcurrentLinkedQueue<>();
    private volatile Function<HttpServerRequest, Reply> last = request -> status(500, "{\"error\":{\"message\":\"unscripted\"}}");
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    public FaultyUpstream() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> request.receive().aggregate().asString()
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            received.add(new Received(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), body));
                            Function<HttpServerRequest, Reply> next = script.poll();
                            if (next != null && script.isEmpty()) {
                                last = next;
                            }
                            return Mono.from((next != null ? next : last).apply(request).send(request, response));
                        })))
                .bindNow(Duration.ofSeconds(10));
    }

    /** Answers the next request this way (and every later one, unless more is scripted). */
    public FaultyUpstream then(Reply reply) {
        script.add(request -> reply);
        return this;
    }

    /** Answers the next requests this way, chosen by each request's {@code Authorization} header. */
    public FaultyUpstream byKey(Function<String, Reply> choice) {
        script.add(request -> choice.apply(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION)));
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** How many requests the upstream got. */
    public int attempts() {
        return received.size();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** A base URL where nothing listens: connections to it are refused. */
    public static String refusingBaseUrl() {
        DisposableServer closed = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> response.send())
                .bindNow(Duration.ofSeconds(10));
        int port = closed.port();
        closed.disposeNow(Duration.ofSeconds(5));
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** An answer with this status and JSON body, and headers given as name, value. */
    public static Reply status(int status, String body, String... headers) {
        return (request, response) -> {
            for (int i = 0; i < headers.length; i += 2) {
                response.header(headers[i], headers[i + 1]);
            }
            return response.status(HttpResponseStatus.valueOf(status))
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .sendString(Mono.just(body));
        };
    }

    /** 200 with a chat completion. */
    public static Reply ok() {
        return status(200, ANSWER);
    }

    /** 200 with a body that is not JSON at all. */
    public static Reply malformed() {
        return status(200, "{\"id\":\"chatcmpl-broken\",\"choices\":[{\"mess");
    }

    /** 200 with a stream of these data events, then {@code [DONE]}. */
    public static Reply stream(String... data) {
        return (request, response) -> sse(response, Flux.concat(Flux.fromArray(data), Mono.just("[DONE]")));
    }

    /** 200 with a stream of these data events, then the connection dropped, with no final event. */
    public static Reply streamThenCut(String... data) {
        return (request, response) -> sse(response, Flux.concat(Flux.fromArray(data), Mono.error(new IOException("cut by the test"))));
    }

    /** 200 with a stream of these data events, then silence with the connection left open. */
    public static Reply streamThenStall(String... data) {
        return (request, response) -> sse(response, Flux.concat(Flux.fromArray(data), Mono.never()));
    }

    /** Takes the request and never answers it. */
    public static Reply silent() {
        return (request, response) -> Mono.never();
    }

    /** 200 and a body that trickles in, one byte every {@code gap}, and never ends. */
    public static Reply trickle(Duration gap) {
        return (request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .send(Flux.interval(Duration.ZERO, gap).map(tick -> (ByteBuf) Unpooled.copiedBuffer(tick == 0 ? "{" : " ", StandardCharsets.UTF_8)),
                        buffer -> true);
    }

    /** 200 announcing a whole body, then the connection dropped halfway through it. */
    public static Reply resetMidBody() {
        return (request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(ANSWER.length()))
                .send(Flux.concat(Mono.just(Unpooled.copiedBuffer(ANSWER.substring(0, 40), StandardCharsets.UTF_8)),
                        Mono.error(new IOException("reset by the test"))), buffer -> true);
    }

    /** A chat completion chunk saying {@code text}. */
    public static String chunk(String text) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}";
    }

    private static Publisher<Void> sse(HttpServerResponse response, Flux<String> data) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .send(data.map(event -> (ByteBuf) Unpooled.copiedBuffer("data: " + event + "\n\n", StandardCharsets.UTF_8)), buffer -> true);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
