package dev.sluice.core.format.openai;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.ToolChoice;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.format.openai.OpenAiResponsesCodec;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Responses API codec: requests, answers and streams, each there and back again. */
public class OpenAiResponsesCodecTest {

    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1756315700), ZoneOffset.UTC);
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final OpenAiResponsesCodec codec = new OpenAiResponsesCodec(CLOCK);

    static RequestBody body(String json) {
        return RequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static ChatRequest fullRequest() {
        return new OpenAiResponsesCodec(CLOCK).decodeRequest(RequestBody.parse(Fixtures.bytes("openai/responses-request-full.json")));
    }

    @Test
    void isTheCodecForResponsesInTheOpenAiFormat() {
        assertThat(OpenAiFormat.OPENAI.chat(Operation.RESPONSES, CLOCK)).get().isInstanceOf(OpenAiResponsesCodec.class);
    }

    @Test
    void decodesEveryKindOfInputItem() {
        ChatRequest request = fullRequest();

        assertThat(request.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(request.stream()).isTrue();
        assertThat(request.system()).containsExactly(new Part.Text("You are a terse travel assistant."),
                new Part.Text("Prefer metric units."));
        assertThat(request.messages()).containsExactly(
                new Message(Role.USER, List.of(new Part.Text("What is in these pictures?"),
                        Part.Image.ofUrl("https://example.com/harbour.jpg"), Part.Image.ofData("image/png", PNG))),
                new Message(Role.ASSISTANT, List.of(new Part.Text("A harbour. Let me check the weather."),
                        new Part.ToolCall("call_7Qw2", "get_weather", "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}"),
                        new Part.ToolCall("call_8Xy3", "get_weather", "{\"city\":\"Porto\"}"))),
                new Message(Role.TOOL, List.of(new Part.ToolResult("call_7Qw2", "{\"temp\":21,\"sky\":\"clear\"}", false),
                        new Part.ToolResult("call_8Xy3", "{\"temp\":17,\"sky\":\"rain\"}", false))),
                new Message(Role.USER, List.of(new Part.Text("So, should I bring an umbrella?"))));
        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(json(tool.parametersSchemaJson())).containsEntry("required", List.of("city"));
        });
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.named("get_weather"));
        assertThat(request.maxTokens()).isEqualTo(512);
        assertThat(request.temperature()).isEqualTo(0.7);
        assertThat(request.topP()).isEqualTo(0.9);
    }

    @Test
    void aStringInputIsOneUserMessage() {
        ChatRequest request = codec.decodeRequest(body("{\"model\":\"m\",\"input\":\"Hello\",\"instructions\":\"Be brief.\"}"));

        assertThat(request.system()).containsExactly(new Part.Text("Be brief."));
        assertThat(request.messages()).containsExactly(new Message(Role.USER, List.of(new Part.Text("Hello"))));
        assertThat(request.stream()).isFalse();
    }

    @Test
    void requestRoundTripKeepsTheMeaning() {
        ChatRequest request = fullRequest();

        byte[] encoded = codec.encodeRequest(request);

        assertThat(codec.decodeRequest(RequestBody.parse(encoded))).isEqualTo(request);
        Map<String, Object> json = json(encoded);
        assertThat(json).containsEntry("instructions", "You are a terse travel assistant.")
                .containsEntry("tool_choice", Map.of("type", "function", "name", "get_weather"))
                .containsEntry("max_output_tokens", 512L).containsEntry("stream", true);
        assertThat((Object) at(json, "input", 0)).isEqualTo(Map.of("type", "message", "role", "developer",
                "content", "Prefer metric units."));
        assertThat((Object) at(json, "input", 3, "type")).isEqualTo("function_call");
        assertThat((Object) at(json, "tools", 0, "type")).isEqualTo("function");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}|previous_response_id",
            "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}|conversation",
            "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}|tools[0].type",
            "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"file_search\"}}|tool_choice.type",
            "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}|input[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}|input[0].content[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]}|input[0].content[0].file_id",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}|input[0].call_id",
            "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"n\",\"schema\":{}}}}|text.format",
            "{\"model\":\"m\",\"input\":42}|input",
            "{\"model\":\"m\",\"instructions\":\"x\"}|input",
    })
    void refusesWhatAnotherProviderCannotExpressNamingTheField(String request, String field) {
        assertThatThrownBy(() -> codec.decodeRequest(body(request)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(field));
    }

    @Test
    void decodesAResponseWithTextAndAFunctionCall() {
        ChatResponse response = codec.decodeResponse(Fixtures.bytes("openai/responses-response-tool-call.json"));

        assertThat(response.id()).isEqualTo("resp_67ccd3a9da748190baa7f1570fe91ac6");
        assertThat(response.content()).containsExactly(new Part.Text("Let me look that up."),
                new Part.ToolCall("call_12345xyz", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(328, 52, 128, 20));
    }

    @Test
    void responseRoundTripKeepsTheMeaning() {
        ChatResponse response = codec.decodeResponse(Fixtures.bytes("openai/responses-response-tool-call.json"));

        Map<String, Object> encoded = json(codec.encodeResponse(response));

        assertThat(codec.decodeResponse(codec.encodeResponse(response))).isEqualTo(response);
        assertThat(encoded).containsEntry("id", "resp_67ccd3a9da748190baa7f1570fe91ac6")
                .containsEntry("object", "response").containsEntry("created_at", 1756315700L)
                .containsEntry("status", "completed").containsEntry("model", "gpt-4.1-2025-04-14")
                .containsEntry("incomplete_details", null);
        assertThat((Object) at(encoded, "output", 0, "type")).isEqualTo("message");
        assertThat((Object) at(encoded, "output", 0, "content", 0))
                .isEqualTo(Map.of("type", "output_text", "text", "Let me look that up.", "annotations", List.of()));
        assertThat((Map<String, Object>) at(encoded, "output", 1)).containsEntry("type", "function_call")
                .containsEntry("call_id", "call_12345xyz").containsEntry("arguments", "{\"city\":\"Paris\"}")
                .containsEntry("status", "completed");
        assertThat((Object) at(encoded, "usage")).isEqualTo(Map.of("input_tokens", 328L,
                "input_tokens_details", Map.of("cached_tokens", 128L, "cache_write_tokens", 0L), "output_tokens", 52L,
                "output_tokens_details", Map.of("reasoning_tokens", 20L), "total_tokens", 380L));
    }

    @Test
    void aTruncatedAnswerIsIncompleteForMaxOutputTokens() {
        Map<String, Object> encoded = json(codec.encodeResponse(new ChatResponse("msg_9", "claude", List.of(new Part.Text("Once upon")),
                StopReason.MAX_TOKENS, new Usage(5, 16, 0, 0))));

        assertThat(encoded).containsEntry("id", "resp_msg_9").containsEntry("status", "incomplete")
                .containsEntry("incomplete_details", Map.of("reason", "max_output_tokens"));
        assertThat((Object) at(encoded, "output", 0, "status")).isEqualTo("incomplete");
        assertThat(codec.decodeResponse(Json.writeBytes(encoded)).stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    }

    @Test
    void decodesAStreamOfTextAndAFunctionCall() {
        List<ChatEvent> events = decode(Fixtures.sse("openai/responses-stream-tool-call.sse"));

        assertThat(events).containsExactly(
                new ChatEvent.Started("resp_68af4030592c81938ec0a5fbab4a3e9f", "gpt-4.1-2025-04-14"),
                new ChatEvent.TextDelta(0, "Checking"), new ChatEvent.TextDelta(0, " the"), new ChatEvent.TextDelta(0, " weather."),
                new ChatEvent.ToolCallStarted(1, "call_Z3kq9", "get_weather"),
                new ChatEvent.ToolCallArguments(1, "{\""), new ChatEvent.ToolCallArguments(1, "city"),
                new ChatEvent.ToolCallArguments(1, "\":\""), new ChatEvent.ToolCallArguments(1, "Lisbon"),
                new ChatEvent.ToolCallArguments(1, "\"}"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(81, 25, 0, 0)));
    }

    @Test
    void streamRoundTripKeepsTheMeaning() {
        List<ChatEvent> events = decode(Fixtures.sse("openai/responses-stream-tool-call.sse"));

        List<SseEvent> encoded = encode(events);

        assertThat(decode(encoded)).isEqualTo(events);
        assertThat(encoded).extracting(SseEvent::event).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        for (int i = 0; i < encoded.size(); i++) {
            Map<String, Object> data = json(encoded.get(i).data());
            assertThat(data).containsEntry("type", encoded.get(i).event()).containsEntry("sequence_number", (long) i);
        }
        Map<String, Object> completed = json(encoded.getLast().data());
        assertThat((Object) at(completed, "response", "output", 0, "content", 0, "text")).isEqualTo("Checking the weather.");
        assertThat((Object) at(completed, "response", "output", 1, "arguments")).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(OpenAiFormat.OPENAI.usage(encoded.getLast())).contains(new TokenCounts(81, 25));
    }

    @Test
    void aStreamCutShortEndsWithResponseIncomplete() {
        List<SseEvent> encoded = encode(List.of(new ChatEvent.Started("x", "m"), new ChatEvent.TextDelta(0, "Once"),
                new ChatEvent.Finished(StopReason.MAX_TOKENS, new Usage(3, 1, 0, 0))));

        assertThat(encoded.getLast().event()).isEqualTo("response.incomplete");
        assertThat((Object) at(json(encoded.getLast().data()), "response", "incomplete_details", "reason"))
                .isEqualTo("max_output_tokens");
    }

    @Test
    void aFailedStreamIsTheProvidersError() {
        ChatCodec.EventDecoder decoder = codec.streamDecoder();

        assertThatThrownBy(() -> decoder.decode(SseEvent.named("error",
                "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"overloaded\",\"sequence_number\":3}")))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("overloaded");
    }

    private List<ChatEvent> decode(List<SseEvent> wire) {
        ChatCodec.EventDecoder decoder = codec.streamDecoder();
        List<ChatEvent> events = new ArrayList<>();
        wire.forEach(event -> events.addAll(decoder.decode(event)));
        return events;
    }

    private List<SseEvent> encode(List<ChatEvent> events) {
        ChatCodec.EventEncoder encoder = codec.streamEncoder();
        List<SseEvent> wire = new ArrayList<>();
        events.forEach(event -> wire.addAll(encoder.encode(event)));
        return wire;
    }
}
