package dev.sluice.core.format.openai;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * Turns the Responses API's stream events into canonical events. Each {@code output_text} part and each function
 * call becomes one canonical part; the {@code done}, {@code added} and other events that repeat what the deltas said
 * say nothing new. {@code response.failed} and {@code error} events are the provider's failure.
 */
final class ResponsesStreamDecoder implements ChatCodec.EventDecoder {

    /** Canonical part index by output index, and by output index and content index for texts. */
    private final Map<Long, Integer> indexes = new HashMap<>();
    private int nextIndex;
    private boolean started;
    private boolean calledTools;

    @Override
    public List<ChatEvent> decode(SseEvent event) {
        return UnreadableAnswerException.decode(() -> {
            Map<String, Object> json = Json.parseObject(event.data().getBytes(StandardCharsets.UTF_8), "event");
            List<ChatEvent> events = new ArrayList<>();
            decode(event.event() != null ? event.event() : String.valueOf(json.get("type")), json, events);
            return events;
        });
    }

    private void decode(String type, Map<String, Object> json, List<ChatEvent> events) {
        switch (type) {
            case "response.created", "response.in_progress" -> start(object(json, "response", "response"), events);
            case "response.output_item.added" -> {
                Map<String, Object> item = object(json, "item", "item");
                if (item != null && "function_call".equals(item.get("type"))) {
                    start(null, events);
                    calledTools = true;
                    int index = nextIndex++;
                    indexes.put(key(json, -1), index);
                    events.add(new ChatEvent.ToolCallStarted(index, string(item, "call_id", "item.call_id"),
                            string(item, "name", "item.name")));
                    String arguments = string(item, "arguments", "item.arguments");
                    if (arguments != null && !arguments.isEmpty()) {
                        events.add(new ChatEvent.ToolCallArguments(index, arguments));
                    }
                }
            }
            case "response.output_text.delta" -> {
                start(null, events);
                long key = key(json, Json.count(json, "content_index"));
                Integer index = indexes.get(key);
                if (index == null) {
                    index = nextIndex++;
                    indexes.put(key, index);
                }
                events.add(new ChatEvent.TextDelta(index, String.valueOf(json.get("delta"))));
            }
            case "response.function_call_arguments.delta" -> {
                Integer index = indexes.get(key(json, -1));
                if (index != null) {
                    events.add(new ChatEvent.ToolCallArguments(index, String.valueOf(json.get("delta"))));
                }
            }
            case "response.completed", "response.incomplete", "response.failed" -> {
                Map<String, Object> response = object(json, "response", "response");
                Map<String, Object> body = response == null ? Map.of() : response;
                start(response, events);
                events.add(new ChatEvent.Finished(ResponsesObjects.stopReason(body, calledTools),
                        ResponsesObjects.usage(object(body, "usage", "response.usage"))));
            }
            case "error" -> throw new UnreadableAnswerException(
                    "the stream failed: " + json.get("message"));
            default -> { }
        }
    }

    private void start(Map<String, Object> response, List<ChatEvent> events) {
        if (!started) {
            started = true;
            events.add(new ChatEvent.Started(response == null ? null : string(response, "id", "response.id"),
                    response == null ? null : string(response, "model", "response.model")));
        }
    }

    /** Output index and content index in one key; a function call has no content index. */
    private static long key(Map<String, Object> json, long contentIndex) {
        return (Json.count(json, "output_index") << 20) + contentIndex + 1;
    }
}
