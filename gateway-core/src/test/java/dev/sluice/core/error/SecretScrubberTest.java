package dev.sluice.core.error;

import dev.sluice.core.format.anthropic.AnthropicFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScrubberTest {

    private static final SecretScrubber SCRUBBER = SecretScrubber.GENERIC;

    @Test
    void removesTheKeyOpenAiQuotesInItsAuthenticationError() {
        assertThat(SCRUBBER.forCaller("Incorrect API key provided: sk-proj-****abcd. You can find your API key at "
                + "https://platform.openai.com/account/api-keys."))
                .isEqualTo("Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.");
    }

    @Test
    void removesKeysOfEveryKnownShape() {
        for (String secret : List.of("sk-ant-api03-abcdefghijklmnop", "sk-abcdefghijklmnopqrstuvwx", "sk-svcacct-abcdefgh1234",
                "AIzaSyA1234567890abcdefghijklmnopqrstu", "gsk_abcdefghijklmnopqrstuvwx", "xai-abcdefghijklmnopqrst",
                "AKIAABCDEFGHIJKLMNOP", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")) {
            assertThat(SCRUBBER.forLog("rejected " + secret + " today")).as(secret).isEqualTo("rejected [redacted] today");
        }
        assertThat(SCRUBBER.forLog("Authorization: Bearer abc.def-ghi")).isEqualTo("Authorization: [redacted]");
        assertThat(SCRUBBER.forLog("GET /v1beta/models?key=somesecretvalue&alt=sse")).isEqualTo("GET /v1beta/models?key=[redacted]&alt=sse");
        assertThat(SCRUBBER.forLog("x-api-key: abcdef123456")).isEqualTo("x-api-key: [redacted]");
    }

    @Test
    void removesConfiguredKeyValuesWhateverTheyLookLike() {
        SecretScrubber scrubber = SecretScrubber.of(List.of("plain-looking-value-42"), List.of("llm.example.com"));

        assertThat(scrubber.forLog("key plain-looking-value-42 refused by llm.example.com"))
                .isEqualTo("key [redacted] refused by llm.example.com");
        assertThat(scrubber.forCaller("key plain-looking-value-42 refused by https://llm.example.com/v1"))
                .isEqualTo("key [redacted] refused by https://[address]/v1");
    }

    @Test
    void removesAddressesFromWhatCallersSeeButKeepsThemForTheLog() {
        assertThat(SCRUBBER.forCaller("Connection refused: /10.1.2.3:8443")).isEqualTo("Connection refused: [address]");
        assertThat(SCRUBBER.forCaller("connection timed out after 10000 ms: internal-host.svc.cluster.local/10.1.2.3:8443"))
                .isEqualTo("connection timed out after 10000 ms: [address]");
        assertThat(SCRUBBER.forCaller("upstream llm-proxy:8080 reset")).isEqualTo("upstream [address] reset");
        assertThat(SCRUBBER.forCaller("no route to [fd00::1]:443 or 192.168.0.7")).isEqualTo("no route to [address] or [address]");
        assertThat(SCRUBBER.forCaller("vllm.default.svc is down")).isEqualTo("[address] is down");
        assertThat(SCRUBBER.forCaller("POST http://vllm.default.svc.cluster.local:8000/v1/chat failed"))
                .isEqualTo("POST http://[address]/v1/chat failed");
        assertThat(SCRUBBER.forCaller("POST https://10.1.2.3/v1 failed")).isEqualTo("POST https://[address]/v1 failed");
        assertThat(SCRUBBER.forLog("Connection refused: /10.1.2.3:8443")).isEqualTo("Connection refused: /10.1.2.3:8443");
    }

    @Test
    void leavesOrdinaryMessagesAlone() {
        for (String message : List.of("This model's maximum context length is 128000 tokens.", "Rate limit reached at 10:30",
                "See https://docs.anthropic.com/en/api/rate-limits.",
                "model 'openai/gpt-4.1-mini' not found", "max_tokens: 4096 is too large", "Provider 'openai' answered 401")) {
            assertThat(SCRUBBER.forCaller(message)).isEqualTo(message);
        }
    }

    @Test
    void rewritesOnlyTheTextOfAJsonErrorBody() {
        byte[] body = ("{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-****abcd.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"},\"extra\":[1,true]}").getBytes(StandardCharsets.UTF_8);

        assertThat(new String(SCRUBBER.forCaller(body), StandardCharsets.UTF_8)).isEqualTo(
                "{\"error\":{\"message\":\"Incorrect API key provided: [redacted].\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"},\"extra\":[1,true]}");
    }

    @Test
    void returnsACleanBodyItselfAndScrubsOtherBodiesAsText() {
        byte[] clean = "{\"error\":{\"message\":\"overloaded\"}}".getBytes(StandardCharsets.UTF_8);

        assertThat(SCRUBBER.forCaller(clean)).isSameAs(clean);
        assertThat(new String(SCRUBBER.forCaller("<html>502 from 10.0.0.5:80</html>".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("<html>502 from [address]</html>");
    }

    @Test
    void providerErrorsCarryScrubbedMessagesAndBodies() {
        UpstreamUnavailableException unreachable = new UpstreamUnavailableException("p", "could not be reached: Connection refused: /10.1.2.3:8443", null);
        UpstreamStatusException status = new UpstreamStatusException("p", 401,
                "{\"error\":{\"message\":\"bad key sk-proj-****abcd\"}}".getBytes(StandardCharsets.UTF_8), null);

        assertThat(unreachable.getMessage()).isEqualTo("could not be reached: Connection refused: [address]");
        assertThat(new String(status.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"message\":\"bad key [redacted]\"}}");
        assertThat(new String(dev.sluice.core.format.anthropic.AnthropicFormat.ANTHROPIC.envelope(status.withoutBody()), StandardCharsets.UTF_8))
                .contains("bad key [redacted]").doesNotContain("abcd");
    }
}
