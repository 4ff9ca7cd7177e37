package dev.sluice.server;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A request is never sent to a provider in a wire format it does not speak. */
class WireFormatTest {

    @Test
    void refusesAnOpenAiRequestToAProviderOfAnotherFormatUntilItCanBeTranslated() {
        try (RunningGateway gateway = RunningGateway.start(
                ProviderConfig.builder("anthropic", "anthropic").baseUrl("http://127.0.0.1:1").build(),
                ProviderConfig.builder("gemini", "gemini").baseUrl("http://127.0.0.1:1").build())) {
            HttpResponse<String> anthropic = gateway.post("/v1/chat/completions",
                    "{\"model\":\"anthropic/claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            HttpResponse<String> gemini = gateway.post("/v1/chat/completions",
                    "{\"model\":\"gemini/gemini-2.0-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(anthropic.statusCode()).isEqualTo(400);
            assertThat(json(anthropic.body()).at("/error/message").asText()).contains("speaks the anthropic wire format");
            assertThat(gemini.statusCode()).isEqualTo(400);
            assertThat(json(gemini.body()).at("/error/message").asText()).contains("speaks the gemini wire format");
        }
    }
}
