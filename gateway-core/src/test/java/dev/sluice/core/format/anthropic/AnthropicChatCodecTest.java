package dev.sluice.core.format.anthropic;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.anthropic.AnthropicChatCodec;
import dev.sluice.core.format.anthropic.AnthropicChatStreamDecoder;
import dev.sluice.core.format.anthropic.AnthropicChatStreamEncoder;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.ToolChoice;
import dev.sluice.core.format.chat.Usage;
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

class AnthropicChatCodecTest {

    private final AnthropicChatCodec codec = new AnthropicChatCodec();

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static ChatRequest request(List<Part> system, List<Message> messages, Integer maxTokens) {
        return new ChatRequest("m", system, messages, List.of(), null, maxTokens, null, null, List.of(), false);
    }

    @Test
    void requestRoundTripKeepsEveryField() {
        byte[] original = Fixtures.bytes("anthropic/request-full.json");

        byte[] again = codec.encodeRequest(codec.decodeRequest(original));

        assertThat(json(again)).isEqualTo(json(original));
    }

    @Test
    void toolResultsInAUserMessageBecomeAToolMessageBeforeTheUserTurn() {
        ChatRequest request = codec.decodeRequest(Fixtures.bytes("anthropic/request-full.json"));

        assertThat(request.messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(request.messages().get(1).content()).last().isEqualTo(new Part.ToolCall(
                "toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}"));
        assertThat(request.messages().get(5).content()).containsExactly(
                new Part.ToolResult("toolu_02", "forecast service unavailable", true));
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.of(ToolChoice.Mode.REQUIRED));
        assertThat(request.stop()).containsExactly("END");
        assertThat(request.stream()).isTrue();
    }

    @Test
    void requestWithoutATokenLimitIsSentWithTheDefault() {
        byte[] encoded = codec.encodeRequest(request(List.of(),
                List.of(new Message(Role.USER, List.of(new Part.Text("hi")))), null));

        assertThat(json(encoded)).containsEntry("max_tokens", (long) AnthropicChatCodec.DEFAULT_MAX_TOKENS);
    }

    @Test
    void imageInTheSystemPromptIsRefusedNamingTheField() {
        ChatRequest request = request(List.of(Part.Image.ofUrl("https://example.com/a.png")), List.of(), 10);

        assertThatThrownBy(() -> codec.encodeRequest(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("system"));
    }

    @Test
    void toolCallArgumentsThatAreNotAJsonObjectAreRefused() {
        ChatRequest request = request(List.of(), List.of(
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("c1", "f", "[1,2]")))), 10);

        assertThatThrownBy(() -> codec.encodeRequest(request))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].arguments"));
    }

    @Test
    void serverToolsCannotBeTranslated() {
        assertThatThrownBy(() -> codec.decodeRequest(body("""
                {"model":"m","max_tokens":5,"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("tools[0].type"));
    }

    @Test
    void responseDecodeCountsCacheReadsAsInputTokens() {
        ChatResponse response = codec.decodeResponse(Fixtures.bytes("anthropic/response-text.json"));

        assertThat(response.content()).containsExactly(new Part.Text("No umbrella needed: clear skies and 21°C in Lisbon."));
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.usage()).isEqualTo(new Usage(412 + 1024, 17, 1024, 0));
    }

    @Test
    void responseRoundTripKeepsContentStopReasonAndUsage() {
        Map<String, Object> original = json(Fixtures.bytes("anthropic/response-tool-use.json"));

        Map<String, Object> again = json(codec.encodeResponse(
                codec.decodeResponse(Fixtures.bytes("anthropic/response-tool-use.json"))));

        assertThat(again).containsAllEntriesOf(Map.of("id", original.get("id"), "model", original.get("model"),
                "content", original.get("content"), "stop_reason", "tool_use"));
        assertThat(again.get("usage")).isEqualTo(Map.of("input_tokens", 472L, "output_tokens", 91L,
                "cache_read_input_tokens", 0L));
    }

    @Test
    void malformedUpstreamResponseIsAProtocolError() {
        assertThatThrownBy(() -> codec.decodeResponse(body("{\"id\":")))
                .isInstanceOf(UnreadableAnswerException.class);
    }

    @Test
    void textStreamDecodesIgnoringPingAndBlockStops() {
        AnthropicChatStreamDecoder decoder = codec.streamDecoder();
        List<ChatEvent> events = new ArrayList<>();
        for (SseEvent event : Fixtures.sse("anthropic/stream-text.sse")) {
            events.addAll(decoder.decode(event));
        }

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "claude-sonnet-4-5-20250929"),
                new ChatEvent.TextDelta(0, "Hello"),
                new ChatEvent.TextDelta(0, ", world — "),
                new ChatEvent.TextDelta(0, "how can I help?"),
                new ChatEvent.Finished(StopReason.END_TURN, new Usage(125, 15, 100, 0)));
    }

    @Test
    void thinkingBlocksAreDroppedAndLeaveNoGapInPartIndexes() {
        AnthropicChatStreamDecoder decoder = codec.streamDecoder();
        List<ChatEvent> events = new ArrayList<>();
        for (String data : List.of(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"c\",\"usage\":{\"input_tokens\":3}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Yes\"}}")) {
            events.addAll(decoder.decode(SseEvent.data(data)));
        }

        assertThat(events).containsExactly(new ChatEvent.Started("m1", "c"), new ChatEvent.TextDelta(0, "Yes"));
    }

    @Test
    void streamErrorEventFails() {
        AnthropicChatStreamDecoder decoder = codec.streamDecoder();

        assertThatThrownBy(() -> decoder.decode(SseEvent.named("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("overloaded_error");
    }

    @Test
    void streamEncoderOpensAndClosesOneBlockPerPart() {
        AnthropicChatStreamEncoder encoder = codec.streamEncoder();
        List<SseEvent> out = new ArrayList<>();
        for (ChatEvent event : List.of(new ChatEvent.Started("id1", "m"), new ChatEvent.TextDelta(0, "Hi"),
                new ChatEvent.TextDelta(0, "!"), new ChatEvent.Finished(StopReason.MAX_TOKENS, new Usage(7, 2, 0, 0)))) {
            out.addAll(encoder.encode(event));
        }

        assertThat(out).extracting(SseEvent::event).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(out).allSatisfy(e -> assertThat(json(e.data())).containsEntry("type", e.event()));
        assertThat((Object) at(json(out.get(5).data()), "delta", "stop_reason")).isEqualTo("max_tokens");
        assertThat((Object) at(json(out.get(5).data()), "usage", "output_tokens")).isEqualTo(2L);
    }

    @Test
    void toolResultWithAnImageCannotBeTranslated() {
        assertThatThrownBy(() -> codec.decodeRequest(body("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1",
                 "content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}]}""")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].content"));
    }

    @Test
    void toolStreamRoundTripReproducesTheEventsBarPingAndEmptyJsonDelta() {
        AnthropicChatStreamDecoder decoder = codec.streamDecoder();
        AnthropicChatStreamEncoder encoder = codec.streamEncoder();
        List<SseEvent> original = Fixtures.sse("anthropic/stream-tool-use.sse");
        List<SseEvent> again = new ArrayList<>();
        for (SseEvent event : original) {
            for (ChatEvent canonical : decoder.decode(event)) {
                again.addAll(encoder.encode(canonical));
            }
        }

        List<SseEvent> expected = original.stream()
                .filter(e -> !e.event().equals("ping") && !e.data().contains("\"partial_json\":\"\""))
                .toList();
        assertThat(again).extracting(SseEvent::event).containsExactlyElementsOf(
                expected.stream().map(SseEvent::event).toList());
        for (int i = 1; i < expected.size() - 2; i++) {
            assertThat(json(again.get(i).data())).as(expected.get(i).event()).isEqualTo(json(expected.get(i).data()));
        }
        assertThat((Object) at(json(again.get(again.size() - 2).data()), "delta", "stop_reason")).isEqualTo("tool_use");
    }
}
