package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Gateway;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.core.routing.ModelPattern;
import dev.sluice.server.support.FaultyUpstream;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.sluice.server.support.FaultyUpstream.chunk;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gateway behaves when providers fail, over real HTTP against upstreams that fail as scripted. Each test says
 * what the caller gets (status and body) and how many attempts the upstream saw. Timeouts and backoffs are short so
 * that the suite stays fast: 3 attempts 10 to 40 ms apart, 1 s to the first byte, 3 s per request.
 */
class FaultScenariosTest {

    private static final String CHAT = "{\"model\":\"flaky/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"flaky/m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void retriesA500ThenAnswers() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(500, "{\"error\":{\"message\":\"boom\"}}")).then(FaultyUpstream.ok());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(FaultyUpstream.ANSWER);
        assertThat(flaky.attempts()).isEqualTo(2);
        assertThat(response.headers().firstValue("x-sluice-provider")).hasValue("flaky");
        assertThat(response.headers().firstValue("x-sluice-model")).hasValue("m");
        assertThat(response.headers().firstValue("x-sluice-fallback-index")).hasValue("0");
        assertThat(events).containsExactly("retry flaky/m attempt 2");
    }

    @Test
    void retriesA429HonouringRetryAfter() {
        FaultyUpstream flaky = upstream()
                .then(FaultyUpstream.status(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After", "1"))
                .then(FaultyUpstream.ok());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(FaultyUpstream.ANSWER);
        assertThat(flaky.attempts()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aRetryAfterLongerThanTheRequestMayLastIsPassedOnAtOnce() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(429, "{\"error\":{\"message\":\"come back later\"}}", "Retry-After", "60"));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("60");
        assertThat(json(response.body()).at("/error/message").asText()).isEqualTo("come back later");
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void fallsBackWhenThePrimaryAnswers429Forever() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(429, "{\"error\":{\"message\":\"rate limited\"}}"));
        FaultyUpstream backup = upstream().then(FaultyUpstream.ok());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build(),
                provider("backup", backup.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"flaky/m\",\"fallbacks\":[\"backup/b1\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(FaultyUpstream.ANSWER);
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(backup.attempts()).isEqualTo(1);
        assertThat(response.headers().firstValue("x-sluice-provider")).hasValue("backup");
        assertThat(response.headers().firstValue("x-sluice-model")).hasValue("b1");
        assertThat(response.headers().firstValue("x-sluice-fallback-index")).hasValue("1");
        // The gateway's own field never reaches a provider.
        assertThat(backup.received().getFirst().body())
                .isEqualTo("{\"model\":\"b1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(flaky.received().getFirst().body()).doesNotContain("fallbacks");
        assertThat(events).contains("fallback flaky/m -> backup/b1 (1)");
    }

    @Test
    void configuredFallbacksApplyWhenTheRequestNamesNone() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        FaultyUpstream backup = upstream().then(FaultyUpstream.ok());
        FallbackDefaults defaults = new FallbackDefaults(List.of(new FallbackDefaults.Entry(ModelPattern.of("flaky/*"), List.of("backup/b2"))));
        RunningGateway gateway = gateway(defaults, provider("flaky", flaky.baseUrl()).build(), provider("backup", backup.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-sluice-model")).hasValue("b2");
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(backup.attempts()).isEqualTo(1);
    }

    @Test
    void a401OnOneKeyMovesToTheOtherKeyAndLeavesItOutOfRotation() {
        FaultyUpstream flaky = upstream().byKey(authorization -> authorization.equals("Bearer sk-revoked")
                ? FaultyUpstream.status(401, "{\"error\":{\"message\":\"Incorrect API key\"}}")
                : FaultyUpstream.ok());
        // The revoked key carries nearly all the weight, so it is the one chosen first.
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl())
                .key(new ProviderKey("revoked", "sk-revoked", 1_000_000, List.of()))
                .key(new ProviderKey("good", "sk-good", 1, List.of()))
                .build());

        HttpResponse<String> first = gateway.post("/v1/chat/completions", CHAT);
        HttpResponse<String> second = gateway.post("/v1/chat/completions", CHAT);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(FaultyUpstream.ANSWER);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(flaky.received()).extracting(FaultyUpstream.Received::authorization)
                .containsExactly("Bearer sk-revoked", "Bearer sk-good", "Bearer sk-good");
        assertThat(events).contains("rotated flaky from revoked", "circuit opened flaky revoked");
    }

    @Test
    void connectionRefusedIs502AfterItsRetries() {
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", FaultyUpstream.refusingBaseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_unavailable");
        assertThat(error.path("message").asText()).contains("provider 'flaky' could not be reached");
        // Nothing listens, so the attempts are counted from the engine's events: the first and two retries.
        assertThat(events).containsExactly("retry flaky/m attempt 2", "retry flaky/m attempt 3");
    }

    @Test
    void connectionResetMidBodyIs502AfterItsRetries() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.resetMidBody());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("upstream_unavailable");
        assertThat(flaky.attempts()).isEqualTo(3);
    }

    @Test
    void aStreamCutAfterThreeEventsEndsWithAnErrorEventNotACleanEnd() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.streamThenCut(chunk("one"), chunk("two"), chunk("three")));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-sluice-provider")).hasValue("flaky");
        assertThat(response.body()).startsWith("data: " + chunk("one") + "\n\ndata: " + chunk("two") + "\n\ndata: " + chunk("three") + "\n\n");
        assertThat(response.body()).contains("event: error\ndata: {\"error\":{\"message\":")
                .contains("ended before its final event")
                .doesNotContain("[DONE]");
        // Events had gone to the caller: never tried again.
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void aStalledStreamEndsWithAnErrorEventAfterItsIdleTimeout() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.streamThenStall(chunk("one"), chunk("two")));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl())
                .streamIdleTimeout(Duration.ofMillis(500)).build());

        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("data: " + chunk("one") + "\n\ndata: " + chunk("two") + "\n\n")
                .contains("event: error\n")
                .contains("stream from provider 'flaky' was silent for 500 ms (stream_idle_timeout_seconds)")
                .doesNotContain("[DONE]");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatNeverAnswersIs504WithinTheTimeout() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.silent());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl())
                .firstByteTimeout(Duration.ofMillis(300)).build());

        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(error.path("message").asText()).isEqualTo("provider 'flaky' did not answer within 300 ms");
        // Three attempts of 300 ms each, well within the 3 s the request may take.
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aSlowTrickleThatNeverEndsIsCutByTheRequestTimeout() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.trickle(Duration.ofMillis(100)));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl())
                .requestTimeout(Duration.ofSeconds(1)).build());

        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(error.path("message").asText()).isEqualTo("provider 'flaky' did not finish within 1 s (request_timeout_seconds)");
        // The request's time is used up: no retry.
        assertThat(flaky.attempts()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    @Test
    void malformedJsonFromTheUpstreamIs502WithAClearMessage() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.malformed());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_protocol_error");
        assertThat(error.path("message").asText()).isEqualTo("provider 'flaky' answered 200 with a body that is not JSON");
        // The same request would be answered the same way: not retried.
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void anErrorEventInsideA200StreamEndsItWithAnErrorEvent() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.streamThenCut(chunk("one"), chunk("two"),
                "{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("data: " + chunk("one") + "\n\ndata: " + chunk("two") + "\n\n");
        String tail = response.body().substring(response.body().indexOf("event: error"));
        assertThat(tail).startsWith("event: error\ndata: {\"error\":{\"message\":\"Provider 'flaky' answered 502: The model is overloaded\"")
                .doesNotContain("[DONE]");
        assertThat(response.body().split("event: error", -1)).hasSize(2);
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void anErrorEventBeforeAnythingWasSentIsRetried() {
        FaultyUpstream flaky = upstream()
                .then(FaultyUpstream.streamThenCut("{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\"}}"))
                .then(FaultyUpstream.stream(chunk("fine")));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("data: " + chunk("fine") + "\n\ndata: [DONE]\n\n");
        assertThat(flaky.attempts()).isEqualTo(2);
    }

    @Test
    void aStreamFallsBackBeforeItsFirstEventAndSaysWhoServesIt() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(500, "{\"error\":{\"message\":\"boom\"}}"));
        FaultyUpstream backup = upstream().then(FaultyUpstream.stream(chunk("saved")));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build(),
                provider("backup", backup.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"flaky/m\",\"stream\":true,\"fallbacks\":[\"backup/b1\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("data: " + chunk("saved") + "\n\ndata: [DONE]\n\n");
        assertThat(response.headers().firstValue("x-sluice-provider")).hasValue("backup");
        assertThat(response.headers().firstValue("x-sluice-model")).hasValue("b1");
        assertThat(response.headers().firstValue("x-sluice-fallback-index")).hasValue("1");
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(backup.attempts()).isEqualTo(1);
    }

    @Test
    void aFallbackChainWhereAllFailAnswersWithThePrimarysError() {
        String primaryError = "{\"error\":{\"message\":\"primary is down\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(503, primaryError));
        FaultyUpstream backup = upstream().then(FaultyUpstream.status(500, "{\"error\":{\"message\":\"backup is down too\"}}"));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build(),
                provider("backup", backup.baseUrl()).build(), provider("gone", FaultyUpstream.refusingBaseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"flaky/m\",\"fallbacks\":[\"backup/b1\",\"gone/g1\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(primaryError);
        assertThat(response.headers().firstValue("x-sluice-provider")).isEmpty();
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(backup.attempts()).isEqualTo(3);
        assertThat(events).contains("fallback flaky/m -> backup/b1 (1)", "fallback backup/b1 -> gone/g1 (2)");
    }

    @Test
    void anAnthropicFormatRequestFallsBackTooAndItsFallbacksAreNeverForwarded() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(500, "{\"error\":{\"message\":\"boom\"}}"));
        FaultyUpstream backup = upstream().then(FaultyUpstream.ok());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build(),
                provider("backup", backup.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/anthropic/v1/messages", "{\"model\":\"flaky/m\",\"max_tokens\":16,"
                + "\"fallbacks\":[\"backup/b1\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).path("type").asText()).isEqualTo("message");
        assertThat(json(response.body()).at("/content/0/text").asText()).isEqualTo("fine");
        assertThat(response.headers().firstValue("x-sluice-fallback-index")).hasValue("1");
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(backup.received()).singleElement().satisfies(received -> assertThat(received.body())
                .contains("\"model\":\"b1\"").doesNotContain("fallbacks"));
    }

    @Test
    void neverRetriesABadRequest() {
        String error = "{\"error\":{\"message\":\"Invalid value for temperature\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}";
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(400, error));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(error);
        assertThat(flaky.attempts()).isEqualTo(1);
    }

    @Test
    void aKeyThatKeepsFailingIsSkippedUntilItsCoolDownIsOver() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.status(500, "{\"error\":{\"message\":\"boom\"}}"));
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl())
                .circuitBreaker(new CircuitBreakerSettings(3, Duration.ofMinutes(1), Duration.ofMinutes(1))).build());

        HttpResponse<String> failing = gateway.post("/v1/chat/completions", CHAT);
        HttpResponse<String> skipped = gateway.post("/v1/chat/completions", CHAT);

        assertThat(failing.statusCode()).isEqualTo(500);
        assertThat(skipped.statusCode()).isEqualTo(503);
        assertThat(json(skipped.body()).at("/error/code").asText()).isEqualTo("upstream_keys_cooling_down");
        assertThat(skipped.headers().firstValue("retry-after")).hasValue("60");
        // The second request never reached the provider.
        assertThat(flaky.attempts()).isEqualTo(3);
        assertThat(events).contains("circuit opened flaky ");
    }

    @Test
    void refusesAFallbackThatNamesNoConfiguredProvider() {
        FaultyUpstream flaky = upstream().then(FaultyUpstream.ok());
        RunningGateway gateway = gateway(FallbackDefaults.NONE, provider("flaky", flaky.baseUrl()).build());

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"flaky/m\",\"fallbacks\":[\"nowhere/x\"],\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("fallbacks");
        assertThat(json(response.body()).at("/error/message").asText()).startsWith("fallbacks[0]: ");
        assertThat(flaky.attempts()).isZero();
    }

    private FaultyUpstream upstream() {
        FaultyUpstream upstream = new FaultyUpstream();
        opened.add(upstream);
        return upstream;
    }

    private static ProviderConfig.Builder provider(String name, String baseUrl) {
        return ProviderConfig.builder(name, "openai")
                .baseUrl(baseUrl)
                .firstByteTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(3))
                .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)));
    }

    private RunningGateway gateway(FallbackDefaults fallbacks, ProviderConfig... providers) {
        Gateway.Builder builder = Gateway.builder().fallbacks(fallbacks).events(new ResilienceEvents() {
            @Override
            public void onRetry(String provider, String model, int attempt, Duration wait, Throwable cause) {
                events.add("retry " + provider + "/" + model + " attempt " + attempt);
            }

            @Override
            public void onKeyRotated(String provider, String fromKey, Throwable cause) {
                events.add("rotated " + provider + " from " + fromKey);
            }

            @Override
            public void onFallback(String from, String to, int index, Throwable cause) {
                events.add("fallback " + from + " -> " + to + " (" + index + ")");
            }

            @Override
            public void onCircuitOpened(String provider, String key, Duration openFor, Throwable cause) {
                events.add("circuit opened " + provider + " " + key);
            }
        });
        for (ProviderConfig provider : providers) {
            builder.provider(provider);
        }
        RunningGateway gateway = RunningGateway.serve(builder.build(), Duration.ZERO);
        opened.add(gateway);
        return gateway;
    }
}
