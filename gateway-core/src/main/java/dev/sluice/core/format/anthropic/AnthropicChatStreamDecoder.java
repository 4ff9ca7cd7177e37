package dev.sluice.core.format.anthropic;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * Turns Messages stream events into canonical events, renumbering content blocks so that dropped thinking blocks
 * leave no gaps; {@code ping} and {@code content_block_stop} stand for nothing, and an {@code error} event fails.
 */
public final class AnthropicChatStreamDecoder implements ChatCodec.EventDecoder {

    private final Map<Integer, Integer> indexes = new HashMap<>();
    private Usage usage = Usage.ZERO;
    private StopReason reason;

    AnthropicChatStreamDecoder() {
    }

    /** The canonical events one stream event stands for, possibly none. */
    @Override
    public List<ChatEvent> decode(SseEvent event) {
        Map<String, Object> json = UnreadableAnswerException.decode(() -> Json.parseObject(event.data(), "event"));
        String type = event.event() != null ? event.event() : (String) json.get("type");
        return UnreadableAnswerException.decode(() -> decode(type == null ? "" : type, json));
    }

    private List<ChatEvent> decode(String type, Map<String, Object> json) {
        switch (type) {
            case "message_start" -> {
                Map<String, Object> message = object(json, "message", "message");
                if (message == null) {
                    throw new InvalidRequestException("message_start without a message", "message");
                }
                usage = AnthropicChatAnswers.usage(object(message, "usage", "message.usage"));
                return List.of(new ChatEvent.Started(string(message, "id", "message.id"),
                        string(message, "model", "message.model")));
            }
            case "content_block_start" -> {
                Map<String, Object> block = object(json, "content_block", "content_block");
                String blockType = block == null ? "" : string(block, "type", "content_block.type");
                int at = anthropicIndex(json);
                if ("text".equals(blockType)) {
                    int index = indexes.computeIfAbsent(at, k -> indexes.size());
                    String text = string(block, "text", "content_block.text");
                    return text == null || text.isEmpty() ? List.of() : List.of(new ChatEvent.TextDelta(index, text));
                }
                if ("tool_use".equals(blockType)) {
                    int index = indexes.computeIfAbsent(at, k -> indexes.size());
                    return List.of(new ChatEvent.ToolCallStarted(index, string(block, "id", "content_block.id"),
                            string(block, "name", "content_block.name")));
                }
                return List.of();
            }
            case "content_block_delta" -> {
                Integer index = indexes.get(anthropicIndex(json));
                Map<String, Object> delta = object(json, "delta", "delta");
                if (index == null || delta == null) {
                    return List.of(); // a delta of a dropped (thinking) block
                }
                String deltaType = string(delta, "type", "delta.type");
                if ("text_delta".equals(deltaType)) {
                    String text = string(delta, "text", "delta.text");
                    return text == null || text.isEmpty() ? List.of() : List.of(new ChatEvent.TextDelta(index, text));
                }
                if ("input_json_delta".equals(deltaType)) {
                    String partial = string(delta, "partial_json", "delta.partial_json");
                    return partial == null || partial.isEmpty() ? List.of() : List.of(new ChatEvent.ToolCallArguments(index, partial));
                }
                return List.of();
            }
            case "message_delta" -> {
                Map<String, Object> delta = object(json, "delta", "delta");
                if (delta != null && delta.get("stop_reason") instanceof String stop) {
                    reason = AnthropicChatAnswers.stopReason(stop);
                }
                Map<String, Object> more = object(json, "usage", "usage");
                if (more != null) {
                    usage = usage.merge(AnthropicChatAnswers.usage(more));
                }
                return List.of();
            }
            case "message_stop" -> {
                return List.of(new ChatEvent.Finished(reason == null ? StopReason.END_TURN : reason, usage));
            }
            case "error" -> {
                Map<String, Object> error = object(json, "error", "error");
                throw new UnreadableAnswerException("Stream error: "
                        + (error == null ? "unknown" : error.get("type") + ": " + error.get("message")));
            }
            default -> {
                return List.of(); // ping, content_block_stop, and event types added after this was written
            }
        }
    }

    private static int anthropicIndex(Map<String, Object> json) {
        return json.get("index") instanceof Number n ? n.intValue() : 0;
    }
}
