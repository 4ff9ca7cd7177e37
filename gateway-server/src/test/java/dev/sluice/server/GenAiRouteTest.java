package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import dev.sluice.server.support.NativeProviders;
import dev.sluice.server.support.NativeProviders.Kind;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Gemini route, with the google-genai SDK as the client, to a provider of every type. */
class GenAiRouteTest {

    private NativeProviders providers;
    private RunningGateway gateway;
    private Client client;

    @BeforeEach
    void start() {
        providers = new NativeProviders();
        gateway = providers.gateway();
        client = client("v1beta");
    }

    private Client client(String apiVersion) {
        return Client.builder().apiKey("unused")
                // One attempt: a retried 429 would wait on an upstream with nothing more to answer.
                .httpOptions(HttpOptions.builder().baseUrl(gateway.url("/genai")).apiVersion(apiVersion)
                        .retryOptions(HttpRetryOptions.builder().attempts(1)).build())
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        providers.close();
    }

    private static GenerateContentConfig.Builder config() {
        return GenerateContentConfig.builder().systemInstruction(Content.fromParts(Part.fromText("Be brief."))).maxOutputTokens(256);
    }

    private static GenerateContentConfig withTool() {
        return config().tools(Tool.builder().functionDeclarations(FunctionDeclaration.builder().name(NativeProviders.TOOL)
                .description("Current weather for a city")
                .parameters(Schema.builder().type("OBJECT").properties(Map.of("city", Schema.builder().type("STRING").build())).build())
                .build()).build()).build();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void generatesContent(Kind kind) {
        providers.answerText(kind, false);

        GenerateContentResponse response = client.models.generateContent(kind.model(), NativeProviders.TEXT, config().build());

        assertThat(response.text()).isEqualTo(NativeProviders.TEXT);
        assertThat(response.finishReason().knownEnum()).hasToString("STOP");
        assertThat(response.usageMetadata()).hasValueSatisfying(usage -> assertThat(usage.promptTokenCount()).hasValueSatisfying(
                tokens -> assertThat(tokens).isPositive()));
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.lastUserText(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TEXT);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsContent(Kind kind) {
        providers.answerText(kind, true);
        StringBuilder text = new StringBuilder();

        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(kind.model(), NativeProviders.TEXT,
                config().build())) {
            for (GenerateContentResponse chunk : stream) {
                text.append(chunk.text() == null ? "" : chunk.text());
            }
        }

        assertThat(text).hasToString(NativeProviders.TEXT);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void callsAFunction(Kind kind) {
        providers.answerToolCall(kind, false);

        GenerateContentResponse response = client.models.generateContent(kind.model(), NativeProviders.TEXT, withTool());

        assertFunctionCall(kind, response.functionCalls());
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.offeredTool(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TOOL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsAFunctionCall(Kind kind) {
        providers.answerToolCall(kind, true);
        List<FunctionCall> calls = new ArrayList<>();

        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(kind.model(), NativeProviders.TEXT,
                withTool())) {
            for (GenerateContentResponse chunk : stream) {
                if (chunk.functionCalls() != null) {
                    calls.addAll(chunk.functionCalls());
                }
            }
        }

        assertFunctionCall(kind, calls);
    }

    private static void assertFunctionCall(Kind kind, List<FunctionCall> calls) {
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.name()).hasValue(NativeProviders.TOOL);
            assertThat(call.args().orElse(Map.of())).isEqualTo(NativeProviders.toolArguments(kind));
        });
    }

    @Test
    void servesTheV1PathsOfRecentSdks() throws InterruptedException {
        providers.answerText(Kind.GEMINI, false);

        try (Client v1 = client("v1")) {
            assertThat(v1.models.generateContent("gemini-2.0-flash", NativeProviders.TEXT, null).text()).isEqualTo(NativeProviders.TEXT);
        }
        assertThat(providers.sent(Kind.GEMINI).getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
    }

    @Test
    void forwardsAGeminiBodyUntouched() {
        providers.answerText(Kind.GEMINI, false);
        String body = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Hello world\"}]}],\n \"safetySettings\": []}";

        HttpResponse<String> answer = gateway.post("/genai/v1beta/models/gemini/gemini-2.0-flash:generateContent", body);

        assertThat(answer.statusCode()).isEqualTo(200);
        RecordedRequest sent = providers.sent(Kind.GEMINI);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo("goog-test");
        assertThat(sent.getBody().readUtf8()).isEqualTo(body);
    }

    @Test
    void embedsAndCountsWithAGeminiProvider() {
        providers.upstream(Kind.GEMINI).enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"embeddings\":[{\"values\":[0.25,-0.5,1.0]}]}"));
        providers.upstream(Kind.GEMINI).enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"totalTokens\":7}"));

        List<Float> values = client.models.embedContent("text-embedding-004", NativeProviders.TEXT, null)
                .embeddings().orElseThrow().getFirst().values().orElseThrow();
        int tokens = client.models.countTokens("gemini-2.0-flash", NativeProviders.TEXT, null).totalTokens().orElseThrow();

        assertThat(values).containsExactly(0.25f, -0.5f, 1.0f);
        assertThat(tokens).isEqualTo(7);
        assertThat(providers.sent(Kind.GEMINI).getPath()).startsWith("/v1beta/models/text-embedding-004:");
        assertThat(providers.sent(Kind.GEMINI).getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:countTokens");
    }

    @Test
    void embedsWithAnOpenAiCompatibleProviderAndTheMock() {
        providers.upstream(Kind.OPENAI).enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]}],"model":"text-embedding-3-small",\
                "usage":{"prompt_tokens":2,"total_tokens":2}}"""));

        List<Float> openAi = client.models.embedContent("openai/text-embedding-3-small", NativeProviders.TEXT, null)
                .embeddings().orElseThrow().getFirst().values().orElseThrow();
        List<Float> mock = client.models.embedContent("demo/embed", NativeProviders.TEXT, null)
                .embeddings().orElseThrow().getFirst().values().orElseThrow();

        assertThat(openAi).containsExactly(0.5f, 0.25f);
        assertThat(mock).isNotEmpty();
        JsonNode sent = json(providers.sent(Kind.OPENAI).getBody().readUtf8());
        assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.path("input").toString()).contains(NativeProviders.TEXT);
    }

    @Test
    void errorsTakeGeminisShape() {
        HttpResponse<String> notJson = gateway.post("/genai/v1beta/models/gemini-2.0-flash:generateContent", "contents: hi");
        HttpResponse<String> notSse = gateway.post("/genai/v1beta/models/gemini-2.0-flash:streamGenerateContent", "{\"contents\":[]}");
        HttpResponse<String> unknownMethod = gateway.post("/genai/v1beta/models/gemini-2.0-flash:predict", "{}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        JsonNode error = json(notJson.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asText()).contains("not valid JSON");
        assertThat(notSse.statusCode()).isEqualTo(400);
        assertThat(json(notSse.body()).at("/error/message").asText()).contains("alt=sse");
        assertThat(unknownMethod.statusCode()).isEqualTo(404);
        assertThat(json(unknownMethod.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anotherFormatsUpstreamErrorIsToldInGeminisShape() {
        providers.answerError(Kind.ANTHROPIC, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}");

        assertThatThrownBy(() -> client.models.generateContent(Kind.ANTHROPIC.model(), NativeProviders.TEXT, null))
                .isInstanceOfSatisfying(ApiException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(429);
                    assertThat(failure.status()).isEqualTo("RESOURCE_EXHAUSTED");
                    assertThat(failure.message()).contains("Slow down");
                });
    }

    @Test
    void aStreamThatBreaksEndsWithAGeminiErrorObject() {
        providers.upstream(Kind.ANTHROPIC).enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody("""
                event: message_start
                data: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-sonnet-4","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """));

        HttpResponse<String> answer = gateway.post("/genai/v1beta/models/anthropic/claude-sonnet-4:streamGenerateContent?alt=sse",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"text\":\"Hel\"");
        String last = answer.body().strip().substring(answer.body().strip().lastIndexOf("data: ") + "data: ".length());
        JsonNode error = json(last).path("error");
        assertThat(error.path("status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(error.path("message").asText()).contains("Overloaded");
    }
}
