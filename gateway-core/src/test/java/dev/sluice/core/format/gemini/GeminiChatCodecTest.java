package dev.sluice.core.format.gemini;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Fixtures;
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
import dev.sluice.core.format.gemini.GeminiChatCodec;
import dev.sluice.core.format.gemini.GeminiChatStreamDecoder;
import dev.sluice.core.format.gemini.GeminiChatStreamEncoder;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiChatCodecTest {

    private final GeminiChatCodec codec = new GeminiChatCodec();

    @Test
    void decodesARequestWithModelAndStreamFromTheUrl() {
        ChatRequest request = codec.decodeRequest(Fixtures.bytes("gemini/request-full.json"), "gemini-2.5-pro", true);

        assertThat(request.model()).isEqualTo("gemini-2.5-pro");
        assertThat(request.stream()).isTrue();
        assertThat(request.system()).containsExactly(new Part.Text("You are a terse travel assistant."));
        assertThat(request.messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT, Role.USER);
        assertThat(request.messages().get(0).content()).containsExactly(
                new Part.Text("Is it raining in Lisbon?"), Part.Image.ofData("image/png", "iVBORw0KGgo="));
        assertThat(request.messages().get(1).content()).containsExactly(
                new Part.ToolCall("call_0", "get_weather", "{\"city\":\"Lisbon\"}"));
        assertThat(request.messages().get(2).content()).containsExactly(
                new Part.ToolResult("call_0", "{\"temp\":21,\"sky\":\"clear\"}", false));
        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(json(tool.parametersSchemaJson())).containsEntry("required", List.of("city"));
        });
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.named("get_weather"));
        assertThat(request.maxTokens()).isEqualTo(256);
        assertThat(request.temperature()).isEqualTo(0.2);
        assertThat(request.topP()).isEqualTo(0.95);
        assertThat(request.stop()).containsExactly("END");
    }

    @Test
    void aDecodedRequestEncodesBackToTheSameContents() {
        byte[] fixture = Fixtures.bytes("gemini/request-full.json");
        Map<String, Object> again = json(codec.encodeRequest(codec.decodeRequest(fixture, "gemini-2.5-pro", false)));
        Map<String, Object> original = json(fixture);

        assertThat(again).doesNotContainKeys("model", "safetySettings");
        assertThat(again.get("contents")).isEqualTo(original.get("contents"));
        assertThat(again.get("systemInstruction")).isEqualTo(original.get("systemInstruction"));
        assertThat(again.get("toolConfig")).isEqualTo(original.get("toolConfig"));
        assertThat(again.get("generationConfig")).isEqualTo(original.get("generationConfig"));
    }

    @Test
    void plainAndErrorToolResultsAreWrapped() {
        ChatRequest request = new ChatRequest("m", null, List.of(
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("a", "lookup", "{}"), new Part.ToolCall("b", "fetch", "{}"))),
                new Message(Role.TOOL, List.of(new Part.ToolResult("a", "42 degrees", false),
                        new Part.ToolResult("b", "timed out", true)))),
                null, ToolChoice.of(ToolChoice.Mode.REQUIRED), null, null, null, null, false);

        Map<String, Object> body = json(codec.encodeRequest(request));

        assertThat((Object) at(body, "contents", 1, "parts")).isEqualTo(List.of(
                Map.of("functionResponse", Map.of("name", "lookup", "response", Map.of("result", "42 degrees"))),
                Map.of("functionResponse", Map.of("name", "fetch", "response", Map.of("error", "timed out")))));
        assertThat((Object) at(body, "contents", 0, "parts", 0, "functionCall")).isEqualTo(Map.of("name", "lookup", "args", Map.of()));
        assertThat(body).containsEntry("toolConfig", Map.of("functionCallingConfig", Map.of("mode", "ANY")))
                .doesNotContainKey("generationConfig");
    }

    @Test
    void aToolResultWithoutItsCallIsRefused() {
        ChatRequest request = new ChatRequest("m", null, List.of(
                new Message(Role.TOOL, List.of(new Part.ToolResult("nowhere", "x", false)))),
                null, null, null, null, null, null, false);

        assertThatThrownBy(() -> codec.encodeRequest(request)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nowhere");
    }

    @Test
    void decodesResponsesWithUsageAndSynthesisedCallIds() {
        ChatResponse text = codec.decodeResponse(Fixtures.bytes("gemini/response-text.json"));
        assertThat(text.content()).containsExactly(new Part.Text("Lisbon is sunny today, no umbrella needed."));
        assertThat(text.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(text.usage()).isEqualTo(new Usage(312, 49, 256, 40));

        ChatResponse calls = codec.decodeResponse(Fixtures.bytes("gemini/response-function-call.json"));
        assertThat(calls.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(calls.content()).extracting(p -> p instanceof Part.ToolCall c ? c.id() : "text")
                .containsExactly("text", "call_0", "call_1");
    }

    @Test
    void finishReasonsMapToStopReasons() {
        assertThat(codec.decodeResponse(candidate("MAX_TOKENS")).stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(codec.decodeResponse(candidate("SAFETY")).stopReason()).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(codec.decodeResponse(candidate("RECITATION")).stopReason()).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(codec.decodeResponse(candidate("OTHER")).stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(codec.decodeResponse("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}".getBytes(StandardCharsets.UTF_8))
                .stopReason()).isEqualTo(StopReason.CONTENT_FILTER);
    }

    private static byte[] candidate(String finishReason) {
        return ("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\""
                + finishReason + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMalformedOrErrorBodyIsTheProvidersFault() {
        assertThatThrownBy(() -> codec.decodeResponse("{\"candidates\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableAnswerException.class);
        assertThatThrownBy(() -> codec.streamDecoder().decode(SseEvent.data(
                "{\"error\":{\"code\":429,\"message\":\"Resource exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}")))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("RESOURCE_EXHAUSTED");
    }

    @Test
    void decodesAStreamIntoCanonicalEvents() {
        GeminiChatStreamDecoder decoder = codec.streamDecoder();
        List<ChatEvent> events = new ArrayList<>();
        Fixtures.sse("gemini/stream-text.sse").forEach(e -> events.addAll(decoder.decode(e)));

        assertThat(events).containsExactly(
                new ChatEvent.Started("tvHQaOu0LpWd1MkPh8-e4Aw", "gemini-2.5-flash"),
                new ChatEvent.TextDelta(0, "Bring"),
                new ChatEvent.TextDelta(0, " sunglasses, not"),
                new ChatEvent.TextDelta(0, " an umbrella."),
                new ChatEvent.Finished(StopReason.END_TURN, new Usage(24, 28, 0, 20)));
    }

    @Test
    void encodesResponsesAndStreamsThatDecodeBack() {
        ChatResponse calls = codec.decodeResponse(Fixtures.bytes("gemini/response-function-call.json"));
        assertThat(codec.decodeResponse(codec.encodeResponse(calls))).isEqualTo(calls);

        List<ChatEvent> canonical = List.of(new ChatEvent.Started("r1", "gemini-2.5-flash"),
                new ChatEvent.TextDelta(0, "Checking."),
                new ChatEvent.ToolCallStarted(1, "call_0", "get_weather"),
                new ChatEvent.ToolCallArguments(1, "{\"city\":"),
                new ChatEvent.ToolCallArguments(1, "\"Lisbon\"}"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(10, 5, 0, 0)));
        GeminiChatStreamEncoder encoder = codec.streamEncoder();
        List<SseEvent> wire = new ArrayList<>();
        canonical.forEach(e -> wire.addAll(encoder.encode(e)));

        assertThat(wire).hasSize(2).allMatch(e -> e.event() == null);
        assertThat((Object) at(json(wire.get(1).data()), "candidates", 0, "content", "parts", 0, "functionCall"))
                .isEqualTo(Map.of("name", "get_weather", "args", Map.of("city", "Lisbon")));
        GeminiChatStreamDecoder decoder = codec.streamDecoder();
        List<ChatEvent> back = new ArrayList<>();
        wire.forEach(e -> back.addAll(decoder.decode(e)));
        assertThat(back).containsExactly(new ChatEvent.Started("r1", "gemini-2.5-flash"),
                new ChatEvent.TextDelta(0, "Checking."),
                new ChatEvent.ToolCallStarted(1, "call_0", "get_weather"),
                new ChatEvent.ToolCallArguments(1, "{\"city\":\"Lisbon\"}"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(10, 5, 0, 0)));
    }
}
