package dev.sluice.core.format.openai;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code data} of each {@code chat.completion.chunk} event into canonical events. The finish reason is
 * held until the usage chunk that follows it, which completes {@link ChatEvent.Finished}; when no usage chunk
 * comes, {@code [DONE]} releases the held {@code Finished}.
 */
public final class OpenAiChatStreamDecoder implements ChatCodec.EventDecoder {

    private boolean started;
    private int nextIndex;
    private int textIndex = -1;
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private StopReason reason;
    private Usage usage;
    private boolean finished;

    OpenAiChatStreamDecoder() {
    }

    /** The canonical events one chunk's data stands for, possibly none. */
    @Override
    public List<ChatEvent> decode(SseEvent event) {
        return decode(event.data());
    }

    /** The canonical events one chunk's {@code data} stands for; {@code [DONE]} releases a held {@code Finished}. */
    public List<ChatEvent> decode(String data) {
        List<ChatEvent> events = new ArrayList<>();
        if ("[DONE]".equals(data.strip())) {
            finish(events);
            return events;
        }
        Map<String, Object> chunk = UnreadableAnswerException.decode(() -> Json.parseObject(data, "chunk"));
        if (!started) {
            started = true;
            events.add(new ChatEvent.Started(chunk.get("id") instanceof String id ? id : null,
                    chunk.get("model") instanceof String model ? model : null));
        }
        List<?> choices = chunk.get("choices") instanceof List<?> list ? list : List.of();
        for (Object rawChoice : choices) {
            if (!(rawChoice instanceof Map<?, ?> map)) {
                continue;
            }
            Map<String, Object> choice = Json.cast(map);
            if (choice.get("index") instanceof Number n && n.intValue() != 0) {
                continue;
            }
            if (choice.get("delta") instanceof Map<?, ?> rawDelta) {
                delta(Json.cast(rawDelta), events);
            }
            if (choice.get("finish_reason") instanceof String finishReason) {
                reason = OpenAiChatAnswers.stopReason(finishReason);
            }
        }
        if (chunk.get("usage") instanceof Map<?, ?> rawUsage) {
            usage = OpenAiChatAnswers.usage(Json.cast(rawUsage));
        }
        if (reason != null && usage != null) {
            finish(events);
        }
        return events;
    }

    private void delta(Map<String, Object> delta, List<ChatEvent> events) {
        if (delta.get("content") instanceof String text && !text.isEmpty()) {
            if (textIndex < 0) {
                textIndex = nextIndex++;
            }
            events.add(new ChatEvent.TextDelta(textIndex, text));
        }
        if (delta.get("tool_calls") instanceof List<?> calls) {
            for (Object rawCall : calls) {
                if (!(rawCall instanceof Map<?, ?> map)) {
                    continue;
                }
                Map<String, Object> call = Json.cast(map);
                int openAiIndex = call.get("index") instanceof Number n ? n.intValue() : 0;
                Map<String, Object> function = call.get("function") instanceof Map<?, ?> f ? Json.cast(f) : Map.of();
                Integer index = toolIndexes.get(openAiIndex);
                if (index == null) {
                    index = nextIndex++;
                    toolIndexes.put(openAiIndex, index);
                    events.add(new ChatEvent.ToolCallStarted(index, call.get("id") instanceof String id ? id : null,
                            function.get("name") instanceof String name ? name : null));
                }
                if (function.get("arguments") instanceof String arguments && !arguments.isEmpty()) {
                    events.add(new ChatEvent.ToolCallArguments(index, arguments));
                }
            }
        }
    }

    private void finish(List<ChatEvent> events) {
        if (!finished && (reason != null || usage != null)) {
            finished = true;
            events.add(new ChatEvent.Finished(reason == null ? StopReason.END_TURN : reason,
                    usage == null ? Usage.ZERO : usage));
        }
    }
}
