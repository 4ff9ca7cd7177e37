package dev.sluice.server;

import dev.sluice.server.support.DripUpstream;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.PrometheusText;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many open streams through one gateway (issue 27): HTTP/2 to the provider multiplexes them on few connections,
 * honouring the provider's stream limit; a pool with no room refuses at once with a 503 the caller can act on.
 */
class ConnectionScaleTest {

    private static final String STREAM = "{\"model\":\"drip/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String config(DripUpstream upstream, String connectionSettings) {
        return """
                server: {port: 0, access_log: false}
                providers:
                  drip: {type: openai, base_url: "%s", %s}
                  demo: {type: mock, models: [echo]}
                """.formatted(upstream.baseUrl(), connectionSettings);
    }

    /** Sends {@code count} streaming requests at once and emits each full response body. */
    private static List<String> streamsAtOnce(RunningGateway gateway, int count) {
        ConnectionProvider pool = ConnectionProvider.builder("scale-test").maxConnections(count).pendingAcquireMaxCount(-1).build();
        try {
            HttpClient client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + gateway.port())
                    .headers(headers -> headers.set("content-type", "application/json"));
            return Flux.range(0, count)
                    .flatMap(i -> client.post().uri("/v1/chat/completions")
                            .send(Mono.fromSupplier(() -> io.netty.buffer.Unpooled.copiedBuffer(STREAM, StandardCharsets.UTF_8)))
                            .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                    .map(text -> response.status().code() + " " + text)), count)
                    .collectList()
                    .block(Duration.ofSeconds(120));
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void multiplexesManyStreamsOnFewHttp2ConnectionsToTheProvider() {
        try (DripUpstream upstream = new DripUpstream(HttpProtocol.H2C, 1000, 3, Duration.ofMillis(300));
             RunningGateway gateway = RunningGateway.fromYaml(config(upstream, "http_version: h2c"))) {
            List<String> answers = streamsAtOnce(gateway, 200);

            assertThat(answers).hasSize(200).allSatisfy(answer -> assertThat(answer).startsWith("200 ").endsWith("data: [DONE]\n\n"));
            assertThat(upstream.peakStreams()).as("streams open at once").isGreaterThan(50);
            assertThat(upstream.connections()).as("connections for 200 streams").isLessThanOrEqualTo(4);
        }
    }

    @Test
    void opensMoreConnectionsOnceTheProvidersStreamLimitIsReached() {
        try (DripUpstream upstream = new DripUpstream(HttpProtocol.H2C, 10, 3, Duration.ofMillis(300));
             RunningGateway gateway = RunningGateway.fromYaml(config(upstream, "http_version: h2c"))) {
            List<String> answers = streamsAtOnce(gateway, 60);

            assertThat(answers).hasSize(60).allSatisfy(answer -> assertThat(answer).startsWith("200 ").endsWith("data: [DONE]\n\n"));
            // More streams at once than one connection may carry: the pool opened more within the provider's limit.
            assertThat(upstream.peakStreams()).isGreaterThan(10);
            assertThat(upstream.connections()).as("the provider allows 10 streams on a connection")
                    .isGreaterThanOrEqualTo((upstream.peakStreams() + 9) / 10);
        }
    }

    @Test
    void refusesAtOnceWithUpstreamBusyWhenNoConnectionIsFreeAndFallsBackWhenAsked() throws Exception {
        try (DripUpstream upstream = new DripUpstream(HttpProtocol.HTTP11, 100, 20, Duration.ofMillis(200));
             RunningGateway gateway = RunningGateway.fromYaml(config(upstream,
                     "http_version: http1.1, max_connections: 2, max_pending: 0, retry: {max_attempts: 1}"))) {
            // Two long streams take both connections.
            List<CompletableFuture<HttpResponse<String>>> holding = List.of(
                    gateway.client().sendAsync(gateway.request("/v1/chat/completions", "content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                            HttpResponse.BodyHandlers.ofString()),
                    gateway.client().sendAsync(gateway.request("/v1/chat/completions", "content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                            HttpResponse.BodyHandlers.ofString()));
            Polling.until(() -> upstream.peakStreams() == 2, Duration.ofSeconds(10));

            long start = System.nanoTime();
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", STREAM);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> fellBack = gateway.post("/v1/chat/completions",
                    "{\"model\":\"drip/m\",\"fallbacks\":[\"demo/echo\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("upstream_busy");
            assertThat(json(refused.body()).at("/error/message").asText()).contains("drip");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(waited).as("refused at once, not queued").isLessThan(Duration.ofSeconds(3));
            assertThat(fellBack.statusCode()).as(fellBack.body()).isEqualTo(200);
            assertThat(new PrometheusText(gateway.get("/metrics").body())
                    .sum("sluice_upstream_requests_seconds_count", "provider", "drip", "outcome", "busy")).as("refusals counted").isEqualTo(2);
            assertThat(fellBack.headers().firstValue("x-sluice-provider")).hasValue("demo");
            for (CompletableFuture<HttpResponse<String>> stream : holding) {
                assertThat(stream.get().statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void waitsABoundedTimeForAConnectionThenRefuses() {
        try (DripUpstream upstream = new DripUpstream(HttpProtocol.HTTP11, 100, 30, Duration.ofMillis(200));
             RunningGateway gateway = RunningGateway.fromYaml(config(upstream,
                     "http_version: http1.1, max_connections: 1, max_pending: 8, acquire_timeout_ms: 400, retry: {max_attempts: 1}"))) {
            gateway.client().sendAsync(gateway.request("/v1/chat/completions", "content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                    HttpResponse.BodyHandlers.discarding());
            Polling.until(() -> upstream.peakStreams() == 1, Duration.ofSeconds(10));

            long start = System.nanoTime();
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", STREAM);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("upstream_busy");
            assertThat(waited).as("it waited for a connection first").isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void holdsThousandsOfConcurrentStreams() {
        // Each stream lasts ten seconds: longer than opening two thousand connections takes here, so they overlap.
        try (DripUpstream upstream = new DripUpstream(HttpProtocol.H2C, 1000, 10, Duration.ofSeconds(1));
             RunningGateway gateway = RunningGateway.fromYaml(config(upstream, "http_version: h2c"))) {
            CompletableFuture<List<String>> streams = CompletableFuture.supplyAsync(() -> streamsAtOnce(gateway, 2000));
            PrometheusText duringStreams = Polling.until(() -> new PrometheusText(gateway.get("/metrics").body()),
                    metrics -> metrics.sum("sluice_streams_open") >= 1000, Duration.ofSeconds(60));
            List<String> answers = streams.join();

            assertThat(answers).hasSize(2000).allSatisfy(answer -> assertThat(answer).startsWith("200 ").endsWith("data: [DONE]\n\n"));
            assertThat(upstream.peakStreams()).as("streams open at once").isGreaterThan(1000);
            assertThat(upstream.served()).isEqualTo(2000);
            assertThat(duringStreams.sum("reactor_netty_connection_provider_active_streams", "provider", "drip")).isGreaterThan(500);
            assertThat(duringStreams.sum("reactor_netty_connection_provider_total_connections", "provider", "drip"))
                    .as("HTTP/2: few connections").isBetween(1.0, 30.0);
            assertThat(duringStreams.sum("reactor_netty_connection_provider_streams_per_connection", "provider", "drip")).isGreaterThan(20);
        }
    }
}
