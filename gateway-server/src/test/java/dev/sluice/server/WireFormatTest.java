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

    private static final String GENERATED = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Hallo!"}]},"finishReason":"STOP","index":0}],            "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9},"modelVersion":"gemini-2.0-flash",            "responseId":"resp-1"}""";

    private static final String GENERATED_STREAM = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Good"}]},"index":0}],"modelVersion":"gemini-2.0-flash","responseId":"r2"}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":" morning"}]},"finishReason":"STOP","index":0}],            "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6},"modelVersion":"gemini-2.0-flash","responseId":"r2"}

            """;

    private MockWebServer anthropic;
    private MockWebServer gemini;
    private RunningGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() throws IOException {
        anthropic = new MockWebServer();
        anthropic.start();
        gemini = new MockWebServer();
        gemini.start();
        gateway = RunningGateway.start(
                ProviderConfig.builder("anthropic", "anthropic").baseUrl(anthropic.url("/").toString())
                        .key(ProviderKey.of("main", "sk-ant-test")).build(),
                ProviderConfig.builder("gemini", "gemini").baseUrl(gemini.url("/v1beta").toString())
                        .key(ProviderKey.of("main", "goog-test")).build());
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        gateway.close();
        anthropic.shutdown();
        gemini.shutdown();
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
    void translatesAChatCompletionToGeminiAndItsAnswerBack() throws InterruptedException {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(GENERATED));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemini/gemini-2.0-flash").addSystemMessage("Answer in German.").addUserMessage("Hello!").build());

        assertThat(completion.choices().getFirst().message().content()).hasValue("Hallo!");
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isEqualTo(9));
        RecordedRequest sent = gemini.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo("goog-test");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.has("model")).isFalse();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Answer in German.");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Hello!");
    }

    @Test
    void translatesAGeminiStreamIntoOpenAiChunks() throws InterruptedException {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(GENERATED_STREAM));

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("gemini/gemini-2.0-flash").addUserMessage("Hi").build())) {
            String text = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());

            assertThat(text).isEqualTo("Good morning");
        }
        assertThat(gemini.takeRequest(5, TimeUnit.SECONDS).getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    }

    @Test
    void refusesEmbeddingsForAProviderThatHasNone() {
        HttpResponse<String> anthropicEmbeddings = gateway.post("/v1/embeddings", "{\"model\":\"anthropic/claude-sonnet-4\",\"input\":\"x\"}");

        assertThat(anthropicEmbeddings.statusCode()).isEqualTo(400);
        assertThat(json(anthropicEmbeddings.body()).at("/error/message").asText())
                .contains("speaks the anthropic wire format").contains("embeddings");
        assertThat(anthropic.getRequestCount() + gemini.getRequestCount()).isZero();
    }
}
