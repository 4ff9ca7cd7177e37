package dev.sluice.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official openai-java SDK as the client: through the mock provider and through a MockWebServer upstream. */
class OpenAiSdkTest {

    private static MockWebServer upstream;
    private static RunningGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        upstream = new MockWebServer();
        upstream.start();
        gateway = RunningGateway.start(
                RunningGateway.mock("demo"),
                ProviderConfig.builder("up", "openai").baseUrl(upstream.url("/v1").toString())
                        .key(ProviderKey.of("k", "sk-up")).build());
        client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.url("/v1"))
                .apiKey("sk-not-forwarded")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        gateway.close();
        upstream.shutdown();
    }

    @Test
    void chatThroughTheMock() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo/echo").addSystemMessage("be brief").addUserMessage("hello sdk").build());

        assertThat(completion.choices().getFirst().message().content()).hasValue("hello sdk");
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(2));
    }

    @Test
    void streamingChatThroughTheMock() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("demo/echo").addUserMessage("stream these four words").build();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            String text = chunks.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse(""))
                    .collect(Collectors.joining());

            assertThat(text).isEqualTo("stream these four words");
            assertThat(chunks.size()).isGreaterThan(4);
        }
    }

    @Test
    void responsesThroughTheMock() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("demo/echo").input("respond please").build());

        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.output().getFirst().message().orElseThrow().content().getFirst().outputText().orElseThrow().text())
                .isEqualTo("respond please");
    }

    @Test
    void embeddingsThroughTheMock() {
        CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("demo/embed").input("vectorise me").build());

        assertThat(embeddings.data()).hasSize(1);
        assertThat(embeddings.data().getFirst().embedding()).isNotEmpty();
    }

    @Test
    void modelsList() {
        List<Model> models = client.models().list().data();

        assertThat(models).extracting(Model::id).contains("demo/echo", "demo/embed");
    }

    @Test
    void chatThroughAnUpstreamProvider() throws InterruptedException {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"id":"chatcmpl-up","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"from upstream","refusal":null},\
                "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"""));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("up/gpt-4o-mini").addUserMessage("hi").build());

        assertThat(completion.id()).isEqualTo("chatcmpl-up");
        assertThat(completion.choices().getFirst().message().content()).hasValue("from upstream");
        RecordedRequest recorded = upstream.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer sk-up");
        assertThat(recorded.getBody().readUtf8()).contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void streamingChatThroughAnUpstreamProvider() {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"up"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"stream"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: [DONE]

                """));

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("up/gpt-4o-mini").addUserMessage("hi").build())) {
            String text = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());

            assertThat(text).isEqualTo("upstream");
        }
    }

    @Test
    void badRequestSurfacesAsTheSdkException() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("nowhere/gpt").addUserMessage("hi").build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Unknown provider 'nowhere'");
    }
}
