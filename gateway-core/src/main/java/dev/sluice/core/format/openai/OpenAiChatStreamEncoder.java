package dev.sluice.core.format.openai;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.object;

/**
 * Turns canonical events into the {@code data} of {@code chat.completion.chunk} events, ending with {@code [DONE]}; not
 * thread-safe, one per response.
 */
public final class OpenAiChatStreamEncoder implements ChatCodec.EventEncoder {

    private final Clock clock;
    private final boolean includeUsage;
    private String id;
    private String model;
    private long created;
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();

    /** An encoder stamping {@code created} from {@code clock}; with {@code includeUsage} it sends the usage chunk. */
    OpenAiChatStreamEncoder(Clock clock, boolean includeUsage) {
        this.clock = clock;
        this.includeUsage = includeUsage;
    }

    /** The data events for one canonical event, in order. */
    @Override
    public List<SseEvent> encode(ChatEvent event) {
        List<String> payloads = payloads(event);
        List<SseEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            events.add(SseEvent.data(payload));
        }
        return events;
    }

    /** The chunk payloads for one canonical event, in order. */
    public List<String> payloads(ChatEvent event) {
        return switch (event) {
            case ChatEvent.Started started -> {
                id = started.id();
                model = started.model();
                created = clock.instant().getEpochSecond();
                yield List.of(chunk(object("role", "assistant", "content", ""), null));
            }
            case ChatEvent.TextDelta text -> List.of(chunk(object("content", text.text()), null));
            case ChatEvent.ToolCallStarted call -> {
                int index = toolIndexes.size();
                toolIndexes.put(call.index(), index);
                yield List.of(chunk(object("tool_calls", List.of(object("index", index, "id", call.id(),
                        "type", "function", "function", object("name", call.name(), "arguments", "")))), null));
            }
            case ChatEvent.ToolCallArguments arguments -> List.of(chunk(object("tool_calls", List.of(object(
                    "index", toolIndexes.getOrDefault(arguments.index(), 0),
                    "function", object("arguments", arguments.jsonFragment())))), null));
            case ChatEvent.Finished finished -> {
                List<String> out = new ArrayList<>();
                out.add(chunk(object(), OpenAiChatAnswers.finishReason(finished.reason())));
                if (includeUsage) {
                    out.add(Json.write(object("id", id, "object", "chat.completion.chunk", "created", created,
                            "model", model, "choices", List.of(), "usage", OpenAiChatAnswers.usage(finished.usage()))));
                }
                out.add("[DONE]");
                yield out;
            }
        };
    }

    private String chunk(Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = object("index", 0, "delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        return Json.write(object("id", id, "object", "chat.completion.chunk", "created", created,
                "model", model, "choices", List.of(choice)));
    }
}
