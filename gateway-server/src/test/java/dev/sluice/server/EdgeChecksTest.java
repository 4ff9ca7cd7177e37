package dev.sluice.server;

import dev.sluice.server.support.Polling;
import dev.sluice.server.support.PrometheusText;
import dev.sluice.server.support.RawHttp;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP edge checks before any route runs, over real HTTP: escapes in the URL, model names, content types,
 * browser origins and the method tag of the request meters.
 */
class EdgeChecksTest {

    private static final String CHAT = "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String APP = "https://app.example";

    private static StoreKind.Database database;
    private static RunningGateway gateway;
    private static RunningGateway browserGateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.start(RunningGateway.mock("demo"));
        database = StoreKind.H2.create();
        browserGateway = RunningGateway.fromYaml("""
                server: {port: 0, cors: {allowed_origins: ["%s"]}}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo]}
                """.formatted(APP, database.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        browserGateway.close();
        database.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/files/%zz", "/v1/files/%", "/v1/files/abc%4", "/v1/files?after=%zz", "/v1/batches?limit=%G1"})
    void malformedEscapeIs400InOpenAisShape(String target) {
        RawHttp.Answer answer = RawHttp.request(gateway.port(), "GET " + target + " HTTP/1.1", new byte[0]);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(json(answer.body()).at("/error/message").asText()).contains("malformed escape");
        assertThat(json(answer.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void malformedEscapeIs400InAnthropicsShapeOnItsRoutes() {
        RawHttp.Answer answer = RawHttp.json(gateway.port(), "POST", "/anthropic/v1/messages%zz", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer.body()).path("type").asText()).isEqualTo("error");
        assertThat(json(answer.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void malformedEscapeIs400InGeminisShapeOnItsRoutes() {
        RawHttp.Answer answer = RawHttp.json(gateway.port(), "POST", "/genai/v1beta/models/demo%zzecho:generateContent",
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer.body()).at("/error/code").asInt()).isEqualTo(400);
        assertThat(json(answer.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void aRefusalCountsAsAClientErrorNotACancel() {
        RunningGateway fresh = RunningGateway.start(RunningGateway.mock("demo"));
        try (fresh) {
            RawHttp.request(fresh.port(), "GET /v1/files/%zz HTTP/1.1", new byte[0]);
            fresh.send(fresh.request("/v1/chat/completions", "Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));

            PrometheusText metrics = Polling.until(() -> new PrometheusText(fresh.get("/metrics").body()),
                    scraped -> scraped.sum("sluice_requests_seconds_count", "status", "4xx") >= 2, java.time.Duration.ofSeconds(10));
            assertThat(metrics.sum("sluice_requests_seconds_count", "status", "4xx", "outcome", "client_error")).isEqualTo(2);
            assertThat(metrics.sum("sluice_requests_seconds_count", "outcome", "cancelled")).isZero();
        }
    }

    @Test
    void controlCharacterInAPathParameterIs400() {
        RawHttp.Answer answer = RawHttp.request(gateway.port(), "GET /v1/files/file-%00x HTTP/1.1", new byte[0]);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer.body()).at("/error/message").asText()).contains("control character");
    }

    @Test
    void escapedSlashStaysInsideItsSegment() {
        RawHttp.Answer answer = RawHttp.request(gateway.port(), "GET /v1/files/a%2Fb HTTP/1.1", new byte[0]);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(json(answer.body()).at("/error/message").asText()).contains("a/b");
    }

    @Test
    void modelWithAControlCharacterIs400NamingModel() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"demo/a\\u000db\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("model");
        assertThat(json(response.body()).at("/error/message").asText()).contains("control character");
    }

    @Test
    void modelLongerThanTheStoreKeepsIs400() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"demo/" + "m".repeat(251) + "\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains("256 characters long (expected: at most 255)");
    }

    @Test
    void geminiModelFromThePathIsCheckedToo() {
        RawHttp.Answer answer = RawHttp.json(gateway.port(), "POST", "/genai/v1beta/models/demo%2F" + "m".repeat(300) + ":generateContent",
                "{\"contents\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer.body()).at("/error/message").asText()).contains("expected: at most 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"})
    void jsonRoutesRefuseOtherContentTypesWith415(String contentType) {
        HttpResponse<String> response = gateway.send(gateway.request("/v1/chat/completions", "Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response.body()).at("/error/message").asText()).contains("application/json");
    }

    @Test
    void jsonRouteWithoutAContentTypeIs415() {
        RawHttp.Answer answer = RawHttp.request(gateway.port(), "POST /v1/embeddings HTTP/1.1", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Length: 2");

        assertThat(answer.status()).isEqualTo(415);
    }

    @Test
    void anthropicRouteRefusesTextPlainInItsOwnShape() {
        HttpResponse<String> response = gateway.send(gateway.request("/anthropic/v1/messages", "Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response.body()).path("type").asText()).isEqualTo("error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "application/merge-patch+json"})
    void jsonContentTypesWithParametersAreAccepted(String contentType) {
        HttpResponse<String> response = gateway.send(gateway.request("/v1/chat/completions", "Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void requestFromAWebPageIsRefusedByDefault() {
        HttpResponse<String> response = gateway.send(gateway.request("/v1/chat/completions", "Origin", "https://evil.example",
                "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response.body()).at("/error/message").asText()).contains("https://evil.example", "server.cors.allowed_origins");
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void listedOriginIsServedWithCorsHeaders() {
        HttpResponse<String> response = browserGateway.send(browserGateway.request("/v1/chat/completions", "Origin", APP,
                "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(response.headers().firstValue("vary")).hasValueSatisfying(vary -> assertThat(vary).containsIgnoringCase("origin"));
    }

    @Test
    void listedOriginGetsItsPreflightAnswered() {
        HttpResponse<String> preflight = browserGateway.send(browserGateway.request("/v1/chat/completions", "Origin", APP,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization, x-custom")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("content-type, authorization, x-custom");
    }

    @Test
    void unlistedOriginsPreflightIsRefused() {
        HttpResponse<String> preflight = browserGateway.send(browserGateway.request("/v1/chat/completions", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void unknownMethodsShareOneMeterTag() {
        for (String method : new String[] {"ANYTOKEN1", "ANYTOKEN2", "BREW"}) {
            RawHttp.Answer answer = RawHttp.request(gateway.port(), method + " /x HTTP/1.1", new byte[0]);
            assertThat(answer.status()).isEqualTo(404);
        }

        String metrics = gateway.get("/metrics").body();

        assertThat(metrics).doesNotContain("ANYTOKEN", "BREW");
        assertThat(metrics).contains("method=\"other\"");
    }

    @Test
    void everyRequestMeterTagComesFromABoundedSet() {
        for (String line : new String[] {"BREW /v1/files/%zz HTTP/1.1", "GET /v1/files/%00 HTTP/1.1", "GET /" + "p".repeat(3000) + " HTTP/1.1",
                "GET /" + "x".repeat(5000) + " HTTP/1.1", "POST /v1/files/a%2Fb?after=%01 HTTP/1.1", "GET /v1/models HTTP/2.0", "G\u0001T / HTTP/1.1"}) {
            RawHttp.request(gateway.port(), line, new byte[0]);
        }
        RawHttp.request(gateway.port(), "GET /v1/models HTTP/1.1", new byte[0], "X-Big: " + "b".repeat(10_000));

        PrometheusText metrics = new PrometheusText(gateway.get("/metrics").body());

        Set<String> methods = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "other");
        for (PrometheusText.Sample sample : metrics.samples()) {
            Map<String, String> labels = sample.labels();
            if (labels.containsKey("method")) {
                assertThat(labels.get("method")).as(sample.toString()).isIn(methods);
            }
            for (String tag : List.of("uri", "route")) {
                if (labels.containsKey(tag)) {
                    assertThat(labels.get(tag)).as(sample.toString()).matches("unmatched|/[a-z0-9/{}._:-]*").hasSizeLessThan(100);
                }
            }
        }
    }
}
