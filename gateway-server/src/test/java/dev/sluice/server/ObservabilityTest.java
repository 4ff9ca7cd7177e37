package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.observe.Observability;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.PrometheusText;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Metrics at /metrics, the request-id and overhead headers, and the JSON access log, after real requests. */
class ObservabilityTest {

    private static final String TEAM_KEY = "sk-bf-team-a-0001";
    private static final String LIMITED_KEY = "sk-bf-limited-0002";

    private final List<String> accessLog = new CopyOnWriteArrayList<>();
    private StoreKind.Database database;
    private RunningGateway gateway;

    @BeforeEach
    void start() {
        database = StoreKind.H2.create();
        String yaml = """
                server: {port: 0}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo]}
                  slow: {type: mock, models: [echo], latency_ms: 300}
                virtual_keys:
                  - {name: team-a, value: %s}
                  - {name: limited, value: %s, rate_limit: {requests_per_minute: 1}}
                pricing:
                  "demo/*": {input: 1000000, output: 2000000}
                """.formatted(database.url(), TEAM_KEY, LIMITED_KEY);
        gateway = RunningGateway.fromYaml(yaml, new Observability(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), accessLog::add));
    }

    @AfterEach
    void stop() {
        gateway.close();
        database.close();
    }

    @Test
    void countsRequestsUpstreamCallsTokensAndCostByProviderAndCatalogueModel() {
        assertThat(gateway.chat("demo/echo", "one two three", "x-bf-vk", TEAM_KEY).statusCode()).isEqualTo(200);
        assertThat(gateway.chat("demo/echo", "four five", "x-bf-vk", TEAM_KEY).statusCode()).isEqualTo(200);
        assertThat(gateway.chat("demo/not-in-catalogue", "six").statusCode()).isEqualTo(200);
        assertThat(stream("demo/echo", "seven eight nine ten").statusCode()).isEqualTo(200);

        PrometheusText metrics = scrape();

        assertThat(metrics.sum("sluice_requests_seconds_count", "route", "/v1/chat/completions", "method", "POST", "status", "2xx",
                "outcome", "success", "provider", "demo", "model", "echo")).isEqualTo(3);
        assertThat(metrics.sum("sluice_requests_seconds_count", "route", "/v1/chat/completions", "provider", "demo", "model", "other"))
                .isEqualTo(1);
        assertThat(metrics.sum("sluice_upstream_requests_seconds_count", "provider", "demo", "model", "echo", "mode", "unary",
                "outcome", "success")).isEqualTo(2);
        assertThat(metrics.sum("sluice_upstream_requests_seconds_count", "provider", "demo", "model", "echo", "mode", "stream",
                "outcome", "success")).isEqualTo(1);
        assertThat(metrics.sum("sluice_upstream_first_event_seconds_count", "provider", "demo", "model", "echo")).isEqualTo(1);
        assertThat(metrics.sum("sluice_upstream_event_gap_seconds_count", "provider", "demo", "model", "echo")).isGreaterThan(2);
        // The mock counts whitespace-separated words: 3 + 2 in, and echoes as many out.
        assertThat(metrics.sum("sluice_tokens_total", "provider", "demo", "model", "echo", "type", "input")).isEqualTo(3 + 2 + 4);
        assertThat(metrics.sum("sluice_tokens_total", "provider", "demo", "model", "other", "type", "input")).isEqualTo(1);
        // $1 per million input tokens... times a million: one dollar per input token, two per output token.
        assertThat(metrics.sum("sluice_cost_usd_total", "provider", "demo", "model", "echo")).isEqualTo(3 * 9.0);
        assertThat(metrics.find("sluice_request_overhead_seconds_bucket", "route", "/v1/chat/completions", "provider", "demo"))
                .isNotEmpty();
    }

    @Test
    void countsRefusalsAndUnknownPathsWithoutTheirRawPath() {
        gateway.chat("demo/echo", "hi", "x-bf-vk", LIMITED_KEY);
        assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", LIMITED_KEY).statusCode()).isEqualTo(429);
        assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-nobody").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/v1/files/file-secret-looking-id-123").statusCode()).isEqualTo(404);
        assertThat(gateway.get("/no/such/place").statusCode()).isEqualTo(404);

        PrometheusText metrics = scrape();

        assertThat(metrics.sum("sluice_governance_refusals_total", "reason", "rate_limited")).isEqualTo(1);
        assertThat(metrics.sum("sluice_governance_refusals_total", "reason", "virtual_key_not_found")).isEqualTo(1);
        assertThat(metrics.sum("sluice_requests_seconds_count", "route", "/v1/chat/completions", "status", "4xx",
                "outcome", "client_error", "provider", "demo", "model", "echo")).isEqualTo(1);
        assertThat(metrics.sum("sluice_requests_seconds_count", "route", "/v1/files/{id}", "status", "4xx")).isEqualTo(1);
        assertThat(metrics.sum("sluice_requests_seconds_count", "route", "unmatched", "status", "4xx")).isEqualTo(1);
        assertThat(metrics.sum("reactor_netty_http_server_data_received_bytes_count", "uri", "/v1/chat/completions")).isGreaterThan(0);
        String text = scrapeText();
        assertThat(text).doesNotContain("file-secret-looking-id-123", "/no/such/place", LIMITED_KEY, TEAM_KEY, "sk-bf-nobody");
    }

    @Test
    void exposesJvmStorePoolAndRunningWorkMeters() {
        PrometheusText metrics = scrape();

        assertThat(metrics.find("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(metrics.find("jvm_gc_pause_seconds_count").size() + metrics.find("jvm_threads_live_threads").size()).isPositive();
        assertThat(metrics.find("process_uptime_seconds")).isNotEmpty();
        assertThat(metrics.find("r2dbc_pool_acquired", "name", "sluice-store")).isNotEmpty();
        assertThat(metrics.find("r2dbc_pool_max_allocated", "name", "sluice-store").getFirst().value()).isEqualTo(10);
        assertThat(metrics.find("sluice_async_jobs_running")).isNotEmpty();
        assertThat(metrics.find("sluice_batches_running")).isNotEmpty();
        HttpResponse<String> raw = gateway.get("/metrics");
        assertThat(raw.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void countsAsyncJobsByState() {
        String id = json(gateway.post("/v1/async/chat/completions",
                "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"later\"}]}").body()).path("id").asText();
        AsyncJobsTest.awaitFinal(gateway, "/v1/async/chat/completions/" + id);

        PrometheusText metrics = scrape();

        assertThat(metrics.sum("sluice_async_jobs_total", "state", "submitted")).isEqualTo(1);
        assertThat(metrics.sum("sluice_async_jobs_total", "state", "completed")).isEqualTo(1);
        assertThat(metrics.sum("sluice_upstream_requests_seconds_count", "provider", "demo", "mode", "unary")).isEqualTo(1);
    }

    @Test
    void everyResponseCarriesARequestIdAndTheOverheadExcludingTheUpstreamCall() {
        HttpResponse<String> slow = gateway.chat("slow/echo", "take your time", "x-request-id", "caller-id-42");
        HttpResponse<String> streamed = stream("slow/echo", "a b c");
        HttpResponse<String> missing = gateway.get("/nothing/here");
        HttpResponse<String> odd = gateway.chat("demo/echo", "hi", "x-request-id", "not a token {}");

        assertThat(slow.headers().firstValue("x-request-id")).hasValue("caller-id-42");
        for (HttpResponse<String> response : List.of(slow, streamed, missing, odd)) {
            assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9A-Za-z._:-]+"));
            assertThat(response.headers().firstValue("x-sluice-overhead-ms")).as(response.uri() + " " + response.statusCode() + " " + response.headers().map()).isPresent();
        }
        assertThat(odd.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        // The mock waits 300 ms before answering (and before the first event): that time is upstream, not overhead.
        assertThat(overheadMillis(slow)).isLessThan(250);
        assertThat(overheadMillis(streamed)).isLessThan(250);
    }

    @Test
    void writesOneJsonAccessLogLinePerRequestNamingTheKeyButNeverItsValue() {
        HttpResponse<String> answered = gateway.chat("slow/echo", "count these words", "x-bf-vk", TEAM_KEY);
        gateway.chat("demo/echo", "hi", "Authorization", "Bearer " + LIMITED_KEY);
        gateway.chat("demo/echo", "hi", "Authorization", "Bearer " + LIMITED_KEY);
        gateway.get("/health");
        Polling.until(() -> accessLog.size() >= 4, Duration.ofSeconds(5));

        assertThat(accessLog).hasSize(4);
        for (String line : accessLog) {
            assertThat(line).doesNotContain(TEAM_KEY, LIMITED_KEY, "sk-bf-").doesNotContain("\n");
        }
        JsonNode first = json(accessLog.getFirst());
        assertThat(first.path("id").asText()).isEqualTo(answered.headers().firstValue("x-request-id").orElseThrow());
        assertThat(first.path("route").asText()).isEqualTo("/v1/chat/completions");
        assertThat(first.path("method").asText()).isEqualTo("POST");
        assertThat(first.path("status").asInt()).isEqualTo(200);
        assertThat(first.path("outcome").asText()).isEqualTo("success");
        assertThat(first.path("provider").asText()).isEqualTo("slow");
        assertThat(first.path("model").asText()).isEqualTo("echo");
        assertThat(first.path("virtual_key").asText()).isEqualTo("team-a");
        assertThat(first.path("input_tokens").asLong()).isEqualTo(3);
        assertThat(first.path("output_tokens").asLong()).isEqualTo(3);
        assertThat(first.path("upstream_ms").asDouble()).isGreaterThanOrEqualTo(290);
        assertThat(first.path("latency_ms").asDouble()).isGreaterThan(first.path("upstream_ms").asDouble());
        assertThat(first.path("overhead_ms").asDouble()).isLessThan(250);
        assertThat(json(accessLog.get(2)).path("status").asInt()).isEqualTo(429);
        assertThat(json(accessLog.get(2)).path("virtual_key").asText()).isEqualTo("limited");
        assertThat(json(accessLog.get(3)).path("route").asText()).isEqualTo("/health");
        assertThat(json(accessLog.get(3)).has("provider")).isFalse();
    }

    @Test
    void readinessFollowsTheStore() {
        HttpResponse<String> ready = gateway.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready.body()).path("status").asText()).isEqualTo("ready");

        gateway.gateway().store().close().block(Duration.ofSeconds(10));

        HttpResponse<String> down = gateway.get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> stream(String model, String text) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}");
    }

    private PrometheusText scrape() {
        return new PrometheusText(scrapeText());
    }

    /** On a connection of its own, as Prometheus scrapes. */
    private String scrapeText() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url("/metrics")))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double overheadMillis(HttpResponse<String> response) {
        return Double.parseDouble(response.headers().firstValue("x-sluice-overhead-ms").orElseThrow());
    }
}
