package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** OpenAI-format requests reach providers of another wire format translated, or are refused; never sent as they are. */
class WireFormatTest {

    private static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4","content":[{"type":"text","text":"Bonjour!"}],\
            "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":3}}""";

    private static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private MockWebServer anthropic;
    private RunningGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() throws IOException {
        anthropic = new MockWebServer();
        anthropic.start();
        gateway = RunningGateway.start(
                ProviderConfig.builder("anthropic", "anthropic").baseUrl(anthropic.url("/").toString())
                        .key(ProviderKey.of("main", "sk-ant-test")).build(),
                ProviderConfig.builder("gemini", "gemini").baseUrl("http://127.0.0.1:1").build());
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        gateway.close();
        anthropic.shutdown();
    }

    @Test
    void translatesAChatCompletionToAnthropicAndItsAnswerBack() throws InterruptedException {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(MESSAGE));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("anthropic/claude-sonnet-4").addSystemMessage("Answer in French.").addUserMessage("Hello!")
                .maxCompletionTokens(100).build());

        assertThat(completion.choices().getFirst().message().content()).hasValue("Bonjour!");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.promptTokens()).isEqualTo(12);
            assertThat(usage.completionTokens()).isEqualTo(3);
        });
        RecordedRequest sent = anthropic.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1/messages");
        assertThat(sent.getHeader("x-api-key")).isEqualTo("sk-ant-test");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(body.path("system").toString()).contains("Answer in French.");
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void translatesAnAnthropicStreamIntoOpenAiChunks() {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(STREAM));

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("anthropic/claude-sonnet-4").addUserMessage("Hi").build())) {
            String text = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());

            assertThat(text).isEqualTo("Hello world");
        }
    }

    @Test
    void refusesWhatCannotBeTranslatedYet() {
        HttpResponse<String> gemini = gateway.post("/v1/chat/completions",
                "{\"model\":\"gemini/gemini-2.0-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        HttpResponse<String> embeddings = gateway.post("/v1/embeddings", "{\"model\":\"anthropic/claude-sonnet-4\",\"input\":\"x\"}");

        assertThat(gemini.statusCode()).isEqualTo(400);
        assertThat(json(gemini.body()).at("/error/message").asText()).contains("speaks the gemini wire format");
        assertThat(embeddings.statusCode()).isEqualTo(400);
        assertThat(anthropic.getRequestCount()).isZero();
    }
}
