package dev.sluice.server.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.core.metrics.MeterCache;
import dev.sluice.core.metrics.MetricNames;
import dev.sluice.core.request.CallReport;
import dev.sluice.core.usage.TokenCounts;
import dev.sluice.server.http.ExchangeReport;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.RequestTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Wraps the route table to observe every request: gives it an {@code x-request-id} (the caller's, when it is a
 * sensible token, else a new one), an {@link ExchangeReport} the routes fill in from the engine's answers, and, once
 * it has ended, its request
 * metrics and one JSON access-log line. The line names the virtual key, never its value, and holds no header or body.
 */
public final class RequestObserver implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    public static final String REQUEST_ID = "x-request-id";
    public static final String OVERHEAD = OverheadHeader.HEADER;

    private static final int MAX_REQUEST_ID = 128;
    private static final JsonFactory JSON = new JsonFactory();
    private static final Duration[] OVERHEAD_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

    // Status classes by hundreds; anything above 5xx counts as 5xx.
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final HttpRoutes routes;
    private final MeterCache<Timer> requests;
    private final MeterCache<Timer> overheads;
    private final AccessLog accessLog;
    private final Set<String> catalogue;
    private final Clock clock;

    /**
     * @param accessLog where lines go, or {@code null} for none
     * @param catalogue the configured {@code provider/model} names: other models are tagged {@code other}
     */
    public RequestObserver(HttpRoutes routes, MeterRegistry registry, AccessLog accessLog, Set<String> catalogue, Clock clock) {
        this.routes = routes;
        this.requests = new MeterCache<>(tags -> Timer.builder(MetricNames.REQUESTS).description("HTTP requests, to their last byte")
                .tags(MetricNames.TAG_ROUTE, tags.get(0), MetricNames.TAG_METHOD, tags.get(1), MetricNames.TAG_STATUS, tags.get(2),
                        MetricNames.TAG_OUTCOME, tags.get(3), MetricNames.TAG_PROVIDER, tags.get(4), MetricNames.TAG_MODEL, tags.get(5))
                .register(registry));
        this.overheads = new MeterCache<>(tags -> Timer.builder(MetricNames.REQUEST_OVERHEAD)
                .description("Time in the gateway excluding upstream calls, to the first byte")
                .serviceLevelObjectives(OVERHEAD_BUCKETS)
                .tags(MetricNames.TAG_ROUTE, tags.get(0), MetricNames.TAG_PROVIDER, tags.get(1))
                .register(registry));
        this.accessLog = accessLog;
        this.catalogue = Set.copyOf(catalogue);
        this.clock = clock;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        ExchangeReport trace = ExchangeReport.start(request, start);
        String id = requestId(request.requestHeaders().get(REQUEST_ID));
        response.header(REQUEST_ID, id);
        request.withConnection(connection -> connection.channel().attr(OverheadHeader.TRACE).set(trace));
        // The raw path: fullPath() throws on a malformed escape, and its decoded text is not what was sent.
        String path = RequestTarget.path(request.uri());
        String route = routes.template(request.method(), path);
        return Mono.defer(() -> Mono.from(routes.apply(request, response)))
                .doFinally(signal -> finished(request.method().name(), route, path, id, response, trace, signal));
    }

    /** The caller's id when it is 1 to 128 letters, digits or {@code . _ - :}; otherwise a new random one. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= MAX_REQUEST_ID) {
            boolean fine = true;
            for (int i = 0; i < given.length() && fine; i++) {
                char c = given.charAt(i);
                fine = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == ':';
            }
            if (fine) {
                return given;
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex(random.nextLong()) + hex(random.nextLong());
    }

    private static String hex(long value) {
        String text = Long.toHexString(value);
        return "0".repeat(16 - text.length()) + text;
    }

    private void finished(String method, String route, String path, String id, HttpServerResponse response, ExchangeReport trace,
                          SignalType signal) {
        long end = System.nanoTime();
        int status = signal == SignalType.ON_ERROR && !response.hasSentHeaders() ? 500 : response.status().code();
        // A refusal answered before the body was read ends with the connection closed, which reads as a cancel: its
        // status, already sent, says what it was. A caller leaving an answer under way is a cancel.
        boolean refused = response.hasSentHeaders() && status >= 400;
        String outcome = signal == SignalType.CANCEL && !refused ? "cancelled"
                : status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
        long overhead = trace.finalOverheadNanos(end);
        CallReport report = trace.report();
        String provider = report.provider() == null ? MetricNames.NONE : report.provider();
        String model = report.model() == null ? MetricNames.NONE
                : catalogue.contains(provider + "/" + report.model()) ? report.model() : MetricNames.OTHER;
        requests.get(route, MethodTag.of(method), STATUS_CLASSES[Math.min(status / 100, 5)], outcome, provider, model)
                .record(end - trace.startNanos(), TimeUnit.NANOSECONDS);
        overheads.get(route, provider).record(overhead, TimeUnit.NANOSECONDS);
        if (accessLog != null) {
            accessLog.write(line(method, route, path, id, status, outcome, end - trace.startNanos(), overhead, report));
        }
    }

    private String line(String method, String route, String path, String id, int status, String outcome, long latency,
                        long overhead, CallReport trace) {
        StringWriter out = new StringWriter(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", clock.instant().toString());
            json.writeStringField("type", "access");
            json.writeStringField("id", id);
            json.writeStringField("method", method);
            json.writeStringField("route", route);
            json.writeStringField("path", path);
            json.writeNumberField("status", status);
            json.writeStringField("outcome", outcome);
            json.writeNumberField("latency_ms", Millis.of(latency));
            json.writeNumberField("overhead_ms", Millis.of(overhead));
            json.writeNumberField("upstream_ms", Millis.of(trace.upstreamNanos()));
            if (trace.provider() != null) {
                json.writeStringField("provider", trace.provider());
            }
            if (trace.model() != null) {
                json.writeStringField("model", trace.model());
            }
            if (trace.virtualKey() != null) {
                json.writeStringField("virtual_key", trace.virtualKey());
            }
            TokenCounts tokens = trace.tokens();
            if (tokens != null) {
                json.writeNumberField("input_tokens", tokens.input());
                json.writeNumberField("output_tokens", tokens.output());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
