package dev.sluice.benchmarks.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fast, deterministic OpenAI-compatible upstream for benchmarks, run as its own process:
 * {@code java -cp benchmarks.jar dev.sluice.benchmarks.upstream.MockUpstream [--port 0] [--latency_ms N] ...}.
 * It serves chat completions (unary and SSE), responses (unary and SSE), embeddings and models, and prints
 * {@code mock upstream listening on http://HOST:PORT} once it serves. See {@link UpstreamSettings} for the knobs.
 */
public final class MockUpstream implements AutoCloseable {

    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "{\"error\":{\"message\":\"mock upstream: no such route\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final DisposableServer server;

    private MockUpstream(DisposableServer server) {
        this.server = server;
    }

    /** Starts serving HTTP/1.1 on {@code host:port} (port 0 picks a free one). */
    public static MockUpstream start(String host, int port, UpstreamSettings defaults) {
        return start(host, port, defaults, false);
    }

    /** Starts serving on {@code host:port}, with {@code h2c} HTTP/2 in clear text (prior knowledge) too. */
    public static MockUpstream start(String host, int port, UpstreamSettings defaults, boolean h2c) {
        ObjectMapper json = new ObjectMapper();
        Handler handler = new Handler(defaults, new MockAnswers(json), json);
        HttpServer server = HttpServer.create().host(host).port(port);
        if (h2c) {
            server = server.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C);
        }
        return new MockUpstream(server.handle(handler::handle).bindNow());
    }

    public String baseUrl() {
        return "http://" + server.host() + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 0;
        UpstreamSettings settings = UpstreamSettings.DEFAULTS;
        boolean h2c = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    usage();
                    return;
                }
                if (!arg.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + ": expected --name value");
                }
                String value = args[++i];
                switch (arg.substring(2).replace('-', '_')) {
                    case "host" -> host = value;
                    case "port" -> port = Integer.parseInt(value);
                    case "h2c" -> h2c = Boolean.parseBoolean(value);
                    default -> settings = settings.with(arg.substring(2).replace('-', '_'), value);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mock upstream: " + e.getMessage());
            usage();
            System.exit(2);
        }
        MockUpstream upstream = start(host, port, settings, h2c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            upstream.close();
            stopped.countDown();
        }, "mock-upstream-shutdown"));
        System.out.println("mock upstream listening on " + upstream.baseUrl() + " with " + settings);
        System.out.flush();
        stopped.await();
    }

    private static void usage() {
        System.err.println("usage: MockUpstream [--host 127.0.0.1] [--port 0] [--h2c true] [--SETTING VALUE]...");
        UpstreamSettings.NAMES.forEach((name, meaning) -> System.err.println("  --" + name + "  " + meaning));
        System.err.println("A request may override settings with leading path segments: /latency_ms=20/v1/chat/completions");
    }

    /** Routes one request; the answer depends on the path's settings and the body's model, stream flag and input. */
    private record Handler(UpstreamSettings defaults, MockAnswers answers, ObjectMapper json) {

        Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
            String path = request.path();
            UpstreamSettings settings = defaults;
            // Leading "name=value" segments override the settings for this request.
            while (true) {
                int slash = path.indexOf('/');
                String segment = slash < 0 ? path : path.substring(0, slash);
                int equals = segment.indexOf('=');
                if (equals <= 0) {
                    break;
                }
                try {
                    settings = settings.with(segment.substring(0, equals), segment.substring(equals + 1));
                } catch (IllegalArgumentException e) {
                    return json(response, HttpResponseStatus.BAD_REQUEST, ("{\"error\":{\"message\":" + quoteAscii(e.getMessage())
                            + ",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8));
                }
                path = slash < 0 ? "" : path.substring(slash + 1);
            }
            String route = path.startsWith("v1/") ? path.substring(3) : path;
            if (request.method().equals(HttpMethod.GET)) {
                return switch (route) {
                    case "health" -> json(response, HttpResponseStatus.OK, HEALTHY);
                    case "models" -> json(response, HttpResponseStatus.OK, answers.models());
                    default -> json(response, HttpResponseStatus.NOT_FOUND, NOT_FOUND);
                };
            }
            if (!request.method().equals(HttpMethod.POST)) {
                return json(response, HttpResponseStatus.METHOD_NOT_ALLOWED, NOT_FOUND);
            }
            UpstreamSettings chosen = settings;
            return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                    .flatMap(bytes -> Mono.from(answer(route, bytes, chosen, response)));
        }

        private Publisher<Void> answer(String route, byte[] bytes, UpstreamSettings settings, HttpServerResponse response) {
            JsonNode body;
            try {
                body = json.readTree(bytes);
            } catch (IOException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                return json(response, HttpResponseStatus.BAD_REQUEST,
                        "{\"error\":{\"message\":\"body is not a JSON object\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"
                                .getBytes(StandardCharsets.UTF_8));
            }
            String model = body.path("model").asText("mock-model");
            boolean stream = body.path("stream").asBoolean(false);
            int promptTokens = Math.max(1, bytes.length / 16);
            Mono<Void> delay = settings.latencyMs() == 0 ? Mono.empty() : Mono.delay(Duration.ofMillis(settings.latencyMs())).then();
            if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
                return delay.then(Mono.from(json(response, HttpResponseStatus.valueOf(settings.errorStatus()), MockAnswers.error())));
            }
            return switch (route) {
                case "chat/completions" -> stream
                        ? delay.then(Mono.from(sse(response, answers.chatStream(model, settings.chunks(), promptTokens,
                                body.path("stream_options").path("include_usage").asBoolean(false)), settings.chunkGapMs())))
                        : delay.then(Mono.from(json(response, HttpResponseStatus.OK, answers.chat(model, settings.contentBytes(), promptTokens))));
                case "responses" -> stream
                        ? delay.then(Mono.from(sse(response, answers.responseStream(model, settings.chunks(), promptTokens), settings.chunkGapMs())))
                        : delay.then(Mono.from(json(response, HttpResponseStatus.OK, answers.response(model, settings.contentBytes(), promptTokens))));
                case "embeddings" -> delay.then(Mono.from(json(response, HttpResponseStatus.OK,
                        answers.embeddings(model, body.get("input"), body.path("dimensions").asInt(16)))));
                default -> json(response, HttpResponseStatus.NOT_FOUND, NOT_FOUND);
            };
        }

        private static Publisher<Void> json(HttpServerResponse response, HttpResponseStatus status, byte[] body) {
            return response.status(status)
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                    .sendByteArray(Mono.just(body));
        }

        /** Sends the events one by one, each flushed on its own, {@code gapMs} apart. */
        private static Publisher<Void> sse(HttpServerResponse response, List<byte[]> events, int gapMs) {
            Flux<byte[]> paced = gapMs == 0 ? Flux.fromIterable(events)
                    : Flux.range(0, events.size()).concatMap(i -> i == 0 ? Mono.just(events.get(0))
                    : Mono.delay(Duration.ofMillis(gapMs)).thenReturn(events.get(i)));
            return response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .send(paced.map(Unpooled::wrappedBuffer), buffer -> true);
        }

        private static String quoteAscii(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
