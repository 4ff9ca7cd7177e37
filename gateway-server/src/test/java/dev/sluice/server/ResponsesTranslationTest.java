package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCompletedEvent;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** /v1/responses served by Anthropic and Gemini providers, translated both ways, with the openai-java SDK as the client. */
class ResponsesTranslationTest {

    private static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4","content":[{"type":"text","text":"Bonjour!"}],\
            "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":3,"cache_read_input_tokens":4}}""";

    private static final String TOOL_USE_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"Lisbon\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private static final String FUNCTION_CALL = """
            {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Porto"}}}]},\
            "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":6,"totalTokenCount":46},\
            "modelVersion":"gemini-2.5-flash","responseId":"g1"}""";

    private static final String TEXT_STREAM = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Good"}]},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"g2"}

            data: {"candidates":[{"content":{"role":"model","parts":[{"text":" morning"}]},"finishReason":"MAX_TOKENS","index":0}],\
            "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"totalTokenCount":6},"modelVersion":"gemini-2.5-flash","responseId":"g2"}

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
        // Validation makes the SDK check every field it requires, in answers and in stream events.
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0)
                .responseValidation(true).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        gateway.close();
        anthropic.shutdown();
        gemini.shutdown();
    }

    private static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    @Test
    void createsAResponseThroughAnthropic() throws InterruptedException {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(MESSAGE));

        Response response = client.responses().create(ResponseCreateParams.builder().model("anthropic/claude-sonnet-4")
                .instructions("Answer in French.").input("Hello!").maxOutputTokens(100).build());

        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo("claude-sonnet-4");
        assertThat(response.output()).singleElement().satisfies(item -> assertThat(
                item.asMessage().content().getFirst().asOutputText().text()).isEqualTo("Bonjour!"));
        assertThat(response.usage()).hasValueSatisfying(usage -> {
            assertThat(usage.inputTokens()).isEqualTo(16);
            assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(4);
            assertThat(usage.outputTokens()).isEqualTo(3);
            assertThat(usage.totalTokens()).isEqualTo(19);
        });
        RecordedRequest sent = anthropic.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1/messages");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(body.path("system").asText()).isEqualTo("Answer in French.");
        assertThat(body.at("/messages/0/content").asText()).isEqualTo("Hello!");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(body.has("input")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void sendsTheFunctionCallAndItsOutputBackToAnthropic() throws InterruptedException {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(MESSAGE));

        client.responses().create(ResponseCreateParams.builder().model("anthropic/claude-sonnet-4").addTool(weatherTool())
                .inputOfResponse(List.of(
                        ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                                .role(EasyInputMessage.Role.USER).content("Weather in Lisbon?").build()),
                        ResponseInputItem.ofFunctionCall(ResponseFunctionToolCall.builder()
                                .callId("toolu_01").name("get_weather").arguments("{\"city\":\"Lisbon\"}").build()),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                .callId("toolu_01").output("{\"temp\":21}").build())))
                .build());

        JsonNode body = json(anthropic.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tools/0/input_schema/required/0").asText()).isEqualTo("city");
        assertThat(body.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(body.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(body.at("/messages/1/content/0/input/city").asText()).isEqualTo("Lisbon");
        assertThat(body.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(body.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("toolu_01");
    }

    @Test
    void streamsAResponseWithAFunctionCallThroughAnthropic() throws InterruptedException {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(TOOL_USE_STREAM));

        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("anthropic/claude-sonnet-4").input("Weather in Lisbon?").addTool(weatherTool()).build())) {
            events = stream.stream().toList();
        }

        assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(event -> event.asOutputTextDelta().delta()).collect(Collectors.joining())).isEqualTo("Checking.");
        assertThat(events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDone)).singleElement()
                .satisfies(event -> assertThat(event.asFunctionCallArgumentsDone().arguments()).isEqualTo("{\"city\": \"Lisbon\"}"));
        ResponseCompletedEvent completed = events.getLast().asCompleted();
        List<ResponseOutputItem> output = completed.response().output();
        assertThat(output).hasSize(2);
        ResponseFunctionToolCall call = output.get(1).asFunctionCall();
        assertThat(call.callId()).isEqualTo("toolu_01");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(completed.response().usage()).hasValueSatisfying(usage -> assertThat(usage.outputTokens()).isEqualTo(20));
        assertThat(events).extracting(ResponseStreamEvent::isCreated).first().isEqualTo(true);
        JsonNode body = json(anthropic.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/tools/0/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void createsAResponseWithAFunctionCallThroughGemini() throws InterruptedException {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(FUNCTION_CALL));

        Response response = client.responses().create(ResponseCreateParams.builder().model("gemini/gemini-2.5-flash")
                .instructions("Use the tools.").input("Weather in Porto?").addTool(weatherTool()).temperature(0.2).build());

        ResponseFunctionToolCall call = response.output().getFirst().asFunctionCall();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(json(call.arguments()).path("city").asText()).isEqualTo("Porto");
        assertThat(call.callId()).isNotBlank();
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.usage()).hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isEqualTo(46));
        RecordedRequest sent = gemini.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Use the tools.");
        assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("Weather in Porto?");
        assertThat(body.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/generationConfig/temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void streamsAResponseThroughGeminiThatEndsIncomplete() throws InterruptedException {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(TEXT_STREAM));

        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("gemini/gemini-2.5-flash").input("Hi").maxOutputTokens(2).build())) {
            events = stream.stream().toList();
        }

        assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(event -> event.asOutputTextDelta().delta()).collect(Collectors.joining())).isEqualTo("Good morning");
        Response last = events.getLast().asIncomplete().response();
        assertThat(last.status()).hasValue(ResponseStatus.INCOMPLETE);
        assertThat(last.incompleteDetails()).hasValueSatisfying(details -> assertThat(details.reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens"));
        assertThat(last.usage()).hasValueSatisfying(usage -> assertThat(usage.totalTokens()).isEqualTo(6));
        RecordedRequest sent = gemini.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(json(sent.getBody().readUtf8()).at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(2);
    }

    @Test
    void runsABackgroundResponseThroughGemini() {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(FUNCTION_CALL));
        String yaml = """
                server: {port: 0}
                store: {url: "%s"}
                providers:
                  gemini: {type: gemini, base_url: "%s", keys: [{value: goog-test}]}
                """;
        try (StoreKind.Database database = StoreKind.H2.create();
             RunningGateway background = RunningGateway.fromYaml(yaml.formatted(database.url(), gemini.url("/v1beta")))) {
            OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(background.url("/v1")).apiKey("unused").maxRetries(0).build();
            Response created = sdk.responses().create(ResponseCreateParams.builder().model("gemini/gemini-2.5-flash")
                    .input("Weather in Porto?").background(true).build());

            Response done = Polling.until(() -> sdk.responses().retrieve(created.id()),
                    response -> response.status().orElseThrow().equals(ResponseStatus.COMPLETED), Duration.ofSeconds(15));
            done.validate();
            assertThat(done.id()).isEqualTo(created.id());
            assertThat(done.output().getFirst().asFunctionCall().name()).isEqualTo("get_weather");
            sdk.close();
        }
    }

    @Test
    void refusesWhatOnlyOpenAiKeepsNamingTheField() {
        var refused = gateway.post("/v1/responses",
                "{\"model\":\"anthropic/claude-sonnet-4\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).at("/error/param").asText()).isEqualTo("previous_response_id");
        assertThat(anthropic.getRequestCount()).isZero();
    }
}
