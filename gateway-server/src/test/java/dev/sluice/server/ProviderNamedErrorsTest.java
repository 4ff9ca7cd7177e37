package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.CountingUpstream;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's failure is named after the provider as configured, not after the wire format it speaks. */
class ProviderNamedErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnreadableAnswerFromAnOpenAiCompatibleProviderNamesThatProvider() throws Exception {
        // Valid JSON, but no chat completion: only translation for an Anthropic caller notices.
        try (CountingUpstream groq = new CountingUpstream(Duration.ZERO, "{\"object\":\"chat.completion\",\"choices\":\"none\"}");
             RunningGateway gateway = RunningGateway.fromYaml("""
                     server: {port: 0}
                     providers:
                       groq: {type: openai, base_url: "%s"}
                     """.formatted(groq.baseUrl()))) {
            HttpResponse<String> response = gateway.post("/anthropic/v1/messages",
                    "{\"model\":\"groq/llama\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "Content-Type", "application/json", "anthropic-version", "2023-06-01");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.at("/error/message").asText()).contains("provider 'groq'").doesNotContain("openai");
        }
    }
}
