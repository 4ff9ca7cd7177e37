package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.server.support.FaultyUpstream;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.sluice.server.support.FaultyUpstream.chunk;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream errors keep their status, type and code, but the keys and internal addresses in their text never reach the
 * caller, in any wire format's envelope or in a stream's in-band error event; the log has the text without the keys.
 */
class UpstreamErrorScrubbingTest {

    private static final String CONFIGURED_KEY = "plain-configured-secret-0001";
    private static final String OPENAI_401 = """
            {
                "error": {
                    "message": "Incorrect API key provided: sk-proj-****abcd. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": null,
                    "code": "invalid_api_key"
                }
            }
            """;

    private static ProviderConfig provider(String name, String baseUrl) {
        return ProviderConfig.builder(name, "openai").baseUrl(baseUrl)
                .key(ProviderKey.of("k", CONFIGURED_KEY))
                .firstByteTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(4))
                .retry(new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)))
                .build();
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void openAisAuthenticationErrorKeepsItsStatusTypeAndCodeButNotTheKey() {
        try (FaultyUpstream upstream = new FaultyUpstream().then(FaultyUpstream.status(401, OPENAI_401));
             RunningGateway gateway = RunningGateway.start(provider("openai", upstream.baseUrl()), provider("viaanthropic", upstream.baseUrl()),
                     provider("viagemini", upstream.baseUrl()))) {
            HttpResponse<String> openAi = gateway.post("/v1/chat/completions", chat("openai/gpt-4o", false));
            HttpResponse<String> anthropic = gateway.post("/anthropic/v1/messages",
                    "{\"model\":\"viaanthropic/gpt-4o\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            HttpResponse<String> gemini = gateway.post("/genai/v1beta/models/viagemini/gpt-4o:generateContent",
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

            assertThat(openAi.statusCode()).isEqualTo(401);
            JsonNode error = json(openAi.body()).path("error");
            assertThat(error.path("message").asText())
                    .isEqualTo("Incorrect API key provided: [redacted]. You can find your API key at "
                            + "https://platform.openai.com/account/api-keys.");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error.has("param")).isTrue();

            assertThat(anthropic.statusCode()).isEqualTo(401);
            assertThat(json(anthropic.body()).at("/error/type").asText()).isEqualTo("authentication_error");
            assertThat(gemini.statusCode()).isEqualTo(401);
            assertThat(json(gemini.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
            for (HttpResponse<String> response : List.of(openAi, anthropic, gemini)) {
                assertThat(response.body()).contains("Incorrect API key provided: [redacted]")
                        .doesNotContain("sk-proj").doesNotContain("abcd");
            }
        }
    }

    @Test
    void theProvidersConfiguredKeyIsRemovedWhateverItLooksLike() {
        try (FaultyUpstream upstream = new FaultyUpstream().then(FaultyUpstream.status(403,
                "{\"error\":{\"message\":\"key " + CONFIGURED_KEY + " may not use this model\",\"type\":\"permission_error\"}}"));
             RunningGateway gateway = RunningGateway.start(provider("openai", upstream.baseUrl()))) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("openai/gpt-4o", false));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response.body()).at("/error/message").asText()).isEqualTo("key [redacted] may not use this model");
            assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("permission_error");
        }
    }

    @Test
    void aRefusedConnectionIsReportedWithoutTheAddressAndLoggedWithIt() {
        String refusing = FaultyUpstream.refusingBaseUrl();
        String port = refusing.substring(refusing.lastIndexOf(':') + 1, refusing.lastIndexOf('/'));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        HttpResponse<String> response;
        try (PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
             RunningGateway gateway = RunningGateway.start(provider("openai", refusing))) {
            System.setErr(capture);
            response = gateway.post("/v1/chat/completions", chat("openai/gpt-4o", false));
        } finally {
            System.setErr(originalErr);
        }

        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("upstream_unavailable");
        assertThat(error.path("message").asText()).contains("could not be reached").contains("[address]")
                .doesNotContain("127.0.0.1").doesNotContain(port);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("could not be reached").contains(port).doesNotContain(CONFIGURED_KEY);
    }

    @Test
    void aMidStreamErrorEventSaysWhatFailedWithoutKeysOrAddresses() {
        String upstreamError = "{\"error\":{\"message\":\"worker internal-host.svc.cluster.local/10.1.2.3:8443 lost key "
                + "sk-proj-abcdefghijklmnop\",\"type\":\"server_error\"}}";
        try (FaultyUpstream upstream = new FaultyUpstream().then(FaultyUpstream.stream(chunk("one"), upstreamError));
             RunningGateway gateway = RunningGateway.start(provider("openai", upstream.baseUrl()))) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("openai/gpt-4o", true));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("data: " + chunk("one") + "\n\n");
            String tail = response.body().substring(response.body().indexOf("event: error\ndata: "));
            JsonNode error = json(tail.substring("event: error\ndata: ".length()).strip()).path("error");
            assertThat(error.path("message").asText()).contains("worker [address] lost key [redacted]");
            assertThat(response.body()).doesNotContain("10.1.2.3").doesNotContain("svc.cluster.local").doesNotContain("sk-proj")
                    .doesNotContain("[DONE]");
        }
    }
}
