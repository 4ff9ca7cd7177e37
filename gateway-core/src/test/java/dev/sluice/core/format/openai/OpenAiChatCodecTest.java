package dev.sluice.core.format.openai;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.ToolChoice;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.openai.OpenAiChatCodec;
import dev.sluice.core.format.openai.OpenAiChatStreamDecoder;
import dev.sluice.core.format.openai.OpenAiChatStreamEncoder;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

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

class OpenAiChatCodecTest {

    private final OpenAiChatCodec codec = new OpenAiChatCodec(Clock.fixed(Instant.ofEpochSecond(1741570283), ZoneOffset.UTC));

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestRoundTripKeepsEveryField() {
        byte[] original = Fixtures.bytes("openai/request-full.json");

        byte[] again = codec.encodeRequest(codec.decodeRequest(original));

        assertThat(json(again)).isEqualTo(json(original));
    }

    @Test
    void requestDecodesToTheCanonicalMeaning() {
        ChatRequest request = codec.decodeRequest(Fixtures.bytes("openai/request-full.json"));

        assertThat(request.system()).containsExactly(new Part.Text("You are a terse travel assistant."));
        assertThat(request.messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER);
        assertThat(request.messages().get(2).content()).containsExactly(
                new Part.Text("Here they are."),
                Part.Image.ofUrl("https://example.com/harbour.jpg"),
                Part.Image.ofData("image/png", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
        assertThat(request.messages().get(3).content()).containsExactly(
                new Part.ToolCall("call_7Qw2", "get_weather", "{\"city\":\"Lisbon\",\"unit\":\"celsius\"}"));
        assertThat(request.messages().get(4).content()).containsExactly(
                new Part.ToolResult("call_7Qw2", "{\"temp\":21,\"sky\":\"clear\"}", false));
        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(json(tool.parametersSchemaJson())).containsEntry("required", List.of("city"));
        });
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.of(ToolChoice.Mode.AUTO));
        assertThat(request.maxTokens()).isEqualTo(512);
        assertThat(request.temperature()).isEqualTo(0.7);
        assertThat(request.topP()).isEqualTo(0.9);
        assertThat(request.stop()).containsExactly("\n\nHuman:", "END");
        assertThat(request.stream()).isFalse();
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokensAndStopMayBeAString() {
        ChatRequest request = codec.decodeRequest(body("""
                {"model":"m","messages":[{"role":"developer","content":[{"type":"text","text":"Be brief."}]},
                 {"role":"user","content":"hi"}],
                 "max_tokens":10,"max_completion_tokens":20,"stop":"END","stream":true,
                 "tool_choice":{"type":"function","function":{"name":"lookup"}}}"""));

        assertThat(request.maxTokens()).isEqualTo(20);
        assertThat(request.stop()).containsExactly("END");
        assertThat(request.system()).containsExactly(new Part.Text("Be brief."));
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.named("lookup"));
        assertThat(request.stream()).isTrue();
    }

    @Test
    void streamedRequestAsksForTheUsageChunk() {
        ChatRequest request = codec.decodeRequest(body("{\"model\":\"m\",\"messages\":[],\"stream\":true}"));

        assertThat(json(codec.encodeRequest(request))).containsEntry("stream_options", Map.of("include_usage", true));
    }

    @Test
    void severalChoicesCannotBeTranslated() {
        assertThatThrownBy(() -> codec.decodeRequest(body("{\"model\":\"m\",\"messages\":[],\"n\":3}")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("n"));
    }

    @Test
    void imageInASystemMessageIsRefusedNamingTheField() {
        assertThatThrownBy(() -> codec.decodeRequest(body("""
                {"model":"m","messages":[{"role":"system","content":[
                 {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content"));
    }

    @Test
    void malformedDataUrlIsRefusedNamingTheField() {
        assertThatThrownBy(() -> codec.decodeRequest(body("""
                {"model":"m","messages":[{"role":"user","content":[
                 {"type":"image_url","image_url":{"url":"data:image/png,abc"}}]}]}""")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url"));
    }

    @Test
    void responseRoundTripKeepsContentToolCallsFinishReasonAndUsage() {
        byte[] original = Fixtures.bytes("openai/response-tool-calls.json");

        ChatResponse response = codec.decodeResponse(original);
        byte[] again = codec.encodeResponse(response);

        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(120, 40, 64, 12));
        assertThat(json(again)).isEqualTo(json(original));
    }

    @Test
    void chunkStreamDecodesToStartDeltasAndOneFinishedCarryingTheUsageChunk() {
        OpenAiChatStreamDecoder decoder = codec.streamDecoder();
        List<ChatEvent> events = new ArrayList<>();
        List<ChatEvent> afterDone = List.of();
        for (SseEvent event : Fixtures.sse("openai/stream-tool-call.sse")) {
            List<ChatEvent> decoded = decoder.decode(event.data());
            if (event.isDone()) {
                afterDone = decoded;
            }
            events.addAll(decoded);
        }

        assertThat(events).containsExactly(
                new ChatEvent.Started("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06"),
                new ChatEvent.TextDelta(0, "Checking"),
                new ChatEvent.TextDelta(0, " now."),
                new ChatEvent.ToolCallStarted(1, "call_abc123", "get_weather"),
                new ChatEvent.ToolCallArguments(1, "{\"location\":"),
                new ChatEvent.ToolCallArguments(1, "\"Paris, France\"}"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(82, 18, 64, 0)));
        assertThat(afterDone).isEmpty();
    }

    @Test
    void streamWithoutAUsageChunkFinishesAtDone() {
        OpenAiChatStreamDecoder decoder = codec.streamDecoder();
        decoder.decode("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}");
        assertThat(decoder.decode("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}"))
                .isEmpty();

        assertThat(decoder.decode("[DONE]")).containsExactly(new ChatEvent.Finished(StopReason.MAX_TOKENS, Usage.ZERO));
    }

    @Test
    void streamEncoderEndsWithFinishReasonThenUsageThenDone() {
        OpenAiChatStreamEncoder encoder = codec.streamEncoder(true);
        List<String> out = new ArrayList<>();
        for (ChatEvent event : List.of(new ChatEvent.Started("id1", "m"), new ChatEvent.TextDelta(0, "Hi"),
                new ChatEvent.Finished(StopReason.STOP_SEQUENCE, new Usage(5, 1, 0, 0)))) {
            out.addAll(encoder.payloads(event));
        }

        assertThat(out).hasSize(5).last().isEqualTo("[DONE]");
        assertThat((Object) at(json(out.get(0)), "choices", 0, "delta", "role")).isEqualTo("assistant");
        assertThat((Object) at(json(out.get(1)), "choices", 0, "delta", "content")).isEqualTo("Hi");
        assertThat((Object) at(json(out.get(2)), "choices", 0, "finish_reason")).isEqualTo("stop");
        assertThat((Object) at(json(out.get(3)), "usage", "total_tokens")).isEqualTo(6L);
        assertThat(json(out.get(3))).containsEntry("choices", List.of());
    }
}
