package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.sluice.server.support.NativeProviders;
import dev.sluice.server.support.NativeProviders.Kind;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenAI-format chat, with the openai-java SDK as the client, to a provider of every type: forwarded to the
 * OpenAI-compatible one, translated for Anthropic and Gemini, answered by the mock; never sent in a format the
 * provider does not speak.
 */
class OpenAiRouteTranslationTest {

    private NativeProviders providers;
    private RunningGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        providers = new NativeProviders();
        gateway = providers.gateway();
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        providers.close();
    }

    private static ChatCompletionCreateParams.Builder ask(Kind kind) {
        return ChatCompletionCreateParams.builder().model(kind.model()).addSystemMessage("Be brief.")
                .addUserMessage(NativeProviders.TEXT).maxCompletionTokens(100);
    }

    private static ChatCompletionCreateParams askWithTool(Kind kind) {
        return ask(kind).addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name(NativeProviders.TOOL).description("Current weather for a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
                .build()).build()).build();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersAChatCompletion(Kind kind) {
        providers.answerText(kind, false);

        ChatCompletion completion = client.chat().completions().create(ask(kind).build());

        assertThat(completion.choices().getFirst().message().content()).hasValue(NativeProviders.TEXT);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.promptTokens()).isPositive());
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.lastUserText(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TEXT);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsAChatCompletion(Kind kind) {
        providers.answerText(kind, true);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(kind).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices().getFirst().message().content()).hasValue(NativeProviders.TEXT);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void callsATool(Kind kind) {
        providers.answerToolCall(kind, false);

        ChatCompletion completion = client.chat().completions().create(askWithTool(kind));

        assertToolCall(kind, completion);
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.offeredTool(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TOOL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsAToolCall(Kind kind) {
        providers.answerToolCall(kind, true);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(askWithTool(kind))) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertToolCall(kind, accumulator.chatCompletion());
    }

    private static void assertToolCall(Kind kind, ChatCompletion completion) {
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = completion.choices().getFirst().message().toolCalls().orElseThrow();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.asFunction().function().name()).isEqualTo(NativeProviders.TOOL);
            assertThat(new ObjectMapper().convertValue(json(call.asFunction().function().arguments()), Map.class))
                    .isEqualTo(NativeProviders.toolArguments(kind));
        });
    }

    @Test
    void sendsAnthropicItsOwnShapeOfRequest() throws InterruptedException {
        providers.answerText(Kind.ANTHROPIC, false);

        client.chat().completions().create(ask(Kind.ANTHROPIC).build());

        RecordedRequest sent = providers.sent(Kind.ANTHROPIC);
        assertThat(sent.getPath()).isEqualTo("/v1/messages");
        assertThat(sent.getHeader("x-api-key")).isEqualTo("sk-ant-test");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(body.path("system").toString()).contains("Be brief.");
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void sendsGeminiItsOwnShapeOfRequest() {
        providers.answerText(Kind.GEMINI, true);

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(Kind.GEMINI).build())) {
            stream.stream().forEach(chunk -> { });
        }

        RecordedRequest sent = providers.sent(Kind.GEMINI);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo("goog-test");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.has("model")).isFalse();
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Be brief.");
        assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(100);
    }

    @Test
    void refusesEmbeddingsForAProviderThatHasNone() {
        HttpResponse<String> anthropicEmbeddings = gateway.post("/v1/embeddings", "{\"model\":\"anthropic/claude-sonnet-4\",\"input\":\"x\"}");

        assertThat(anthropicEmbeddings.statusCode()).isEqualTo(400);
        assertThat(json(anthropicEmbeddings.body()).at("/error/message").asText())
                .contains("speaks the anthropic wire format").contains("embeddings");
        assertThat(providers.upstream(Kind.ANTHROPIC).getRequestCount()).isZero();
    }
}
