package dev.sluice.server;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The fast path and upstream failures, through a real server to a MockWebServer upstream. */
class UpstreamPassthroughTest {

    private static final String CHAT_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"vendor_extra":{"kept":[1,2.50,"x"]}}""";

    private MockWebServer upstream;
    private RunningGateway gateway;

    @BeforeEach
    void start() throws IOException {
        upstream = new MockWebServer();
        upstream.start();
        ProviderConfig openai = ProviderConfig.builder("openai", "openai")
                .baseUrl(upstream.url("/v1").toString())
                .timeout(Duration.ofSeconds(2))
                .models(List.of("gpt-4o-mini"))
                .key(ProviderKey.of("primary", "sk-upstream-secret"))
                // Each failure is passed on as it came: retries are FaultScenariosTest's subject.
                .retry(RetryPolicy.NONE)
                .build();
        gateway = RunningGateway.start(openai, RunningGateway.mock("demo"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        upstream.shutdown();
    }

    @Test
    void forwardsTheBodyWithOnlyTheModelRewritten() throws InterruptedException {
        upstream.enqueue(json200(CHAT_ANSWER));
        String sent = """
                {"model" : "openai/gpt-4o-mini", "messages":[{"role":"user","content":"héllo"}],\
                "unknown_field":{"nested":[1, 2.50, null]}, "temperature":0.70}""";

        HttpResponse<String> response = gateway.post("/v1/chat/completions", sent);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest recorded = upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getBody().readUtf8()).isEqualTo(sent.replace("\"openai/gpt-4o-mini\"", "\"gpt-4o-mini\""));
    }

    @Test
    void returnsTheUpstreamBodyUntouched() {
        upstream.enqueue(json200(CHAT_ANSWER));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.body()).isEqualTo(CHAT_ANSWER);
    }

    @Test
    void sendsTheProviderKeyAndNeverTheCallersAuthorization() throws InterruptedException {
        upstream.enqueue(json200(CHAT_ANSWER));

        gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer caller-own-token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")));

        RecordedRequest recorded = upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer sk-upstream-secret");
        assertThat(recorded.getHeaders().toString()).doesNotContain("caller-own-token");
    }

    @Test
    void integrationRouteSendsUnprefixedModelToOpenai() throws InterruptedException {
        upstream.enqueue(json200(CHAT_ANSWER));

        HttpResponse<String> response = gateway.post("/openai/v1/chat/completions", "{\"model\":\"o3-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"model\":\"o3-mini\"");
    }

    @Test
    void splitsTheModelAtTheFirstSlashOnly() throws InterruptedException {
        upstream.enqueue(json200(CHAT_ANSWER));

        gateway.post("/v1/chat/completions", "{\"model\":\"openai/meta/llama-3\",\"messages\":[]}");

        assertThat(upstream.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8()).contains("\"model\":\"meta/llama-3\"");
    }

    @Test
    void keepsUpstreamClientErrorStatusAndBody() {
        String error = "{\"error\":{\"message\":\"Invalid value for temperature\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}";
        upstream.enqueue(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json").setBody(error));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(error);
    }

    @Test
    void keepsUpstreamServerErrorStatus() {
        String error = "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        upstream.enqueue(new MockResponse().setResponseCode(500).setBody(error));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo(error);
    }

    @Test
    void passesRateLimitWithRetryAfter() {
        upstream.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7")
                .setBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void wrapsANonJsonUpstreamErrorInTheEnvelope() {
        upstream.enqueue(new MockResponse().setResponseCode(503).setBody("<html>Service Unavailable</html>"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response.body()).at("/error/message").asText()).contains("answered 503").contains("Service Unavailable");
    }

    @Test
    void connectionFailureIs502() throws IOException {
        upstream.shutdown();

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("upstream_unavailable");
    }

    @Test
    void silentUpstreamIs504WithinTheTimeout() {
        upstream.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).at("/error/code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void streamFailingBeforeItsFirstEventIsAnOrdinaryError() {
        upstream.enqueue(new MockResponse().setResponseCode(500)
                .setBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(response.body()).at("/error/message").asText()).isEqualTo("boom");
    }

    @Test
    void streamCutShortEndsWithAnErrorEvent() {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"messages\":[]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("data: {\"id\":\"c\"");
        assertThat(response.body()).contains("event: error\ndata: {\"error\":{\"message\":")
                .contains("ended before its final event")
                .doesNotContain("[DONE]");
    }

    private static MockResponse json200(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }
}
