package dev.sluice.server.support;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** An OpenAI-compatible chat upstream that answers after a delay and records how many calls it had at once. */
public final class CountingUpstream implements AutoCloseable {

    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*\"([^\"]*)\"");

    /** The answer unless told otherwise; its model is {@code m}. */
    public static final String ANSWER = """
            {"id":"chatcmpl-counted","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,\
            "message":{"role":"assistant","content":"counted"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, Integer> byContent = new ConcurrentHashMap<>();
    private final DisposableServer server;

    public CountingUpstream(Duration delay) {
        this(delay, ANSWER);
    }

    /** Answers every call with {@code answer}, a chat completion. */
    public CountingUpstream(Duration delay, String answer) {
        this(call -> delay, answer);
    }

    /** Answers call number {@code n} (from 1) after {@code delayOfCall.apply(n)}, with {@code answer}. */
    public CountingUpstream(IntFunction<Duration> delayOfCall, String answer) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> request.receive().aggregate().asString()
                        .defaultIfEmpty("").flatMap(body -> Mono.defer(() -> {
                    peak.accumulateAndGet(current.incrementAndGet(), Math::max);
                    int call = total.incrementAndGet();
                    Matcher content = CONTENT.matcher(body);
                    byContent.merge(content.find() ? content.group(1) : "", 1, Integer::sum);
                    // A call stops counting before its answer goes out: the gateway may start its next call as soon as
                    // it has read this answer, which can be before this server's own completion callbacks have run.
                    return Mono.delay(delayOfCall.apply(call)).doFinally(signal -> current.decrementAndGet());
                })).then(response.header(HttpHeaderNames.CONTENT_TYPE, "application/json").sendString(Mono.just(answer)).then())))
                .bindNow(Duration.ofSeconds(10));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** The most calls the upstream had in flight at once. */
    public int peak() {
        return peak.get();
    }

    public int total() {
        return total.get();
    }

    /** How many calls each message was sent in, by the {@code content} of the request's (last) message. */
    public Map<String, Integer> callsByContent() {
        return Map.copyOf(byContent);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
