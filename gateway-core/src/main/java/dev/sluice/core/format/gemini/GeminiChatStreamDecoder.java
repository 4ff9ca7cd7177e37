package dev.sluice.core.format.gemini;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.gemini.GeminiChatAnswers.candidateParts;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.failOnError;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.firstCandidate;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.newId;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.stopReason;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.toolCall;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.usage;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * Turns the unnamed events of {@code streamGenerateContent?alt=sse}, each a whole {@code GenerateContentResponse},
 * into canonical events: consecutive text shares one part index, each function call gets its own part with its
 * whole arguments in one fragment, and the event carrying a finish reason ends the answer with the latest usage.
 */
public final class GeminiChatStreamDecoder implements ChatCodec.EventDecoder {

    private boolean started;
    private boolean finished;
    private int parts;
    private Integer textIndex;
    private int calls;
    private Usage usage = Usage.ZERO;

    GeminiChatStreamDecoder() {
    }

    /** The canonical events one stream event stands for, possibly none. */
    @Override
    public List<ChatEvent> decode(SseEvent event) {
        if (finished || event.data().isBlank()) {
            return List.of();
        }
        return UnreadableAnswerException.decode(() -> decode(Json.parseObject(event.data(), "event")));
    }

    private List<ChatEvent> decode(Map<String, Object> json) {
        failOnError(json);
        List<ChatEvent> out = new ArrayList<>();
        if (!started) {
            started = true;
            String id = string(json, "responseId", "responseId");
            out.add(new ChatEvent.Started(id != null ? id : newId(), string(json, "modelVersion", "modelVersion")));
        }
        Map<String, Object> rawUsage = object(json, "usageMetadata", "usageMetadata");
        if (rawUsage != null) {
            usage = usage(rawUsage);
        }
        Map<String, Object> candidate = firstCandidate(json);
        if (candidate == null) {
            Map<String, Object> feedback = object(json, "promptFeedback", "promptFeedback");
            if (feedback != null && feedback.get("blockReason") != null) {
                finished = true;
                out.add(new ChatEvent.Finished(StopReason.CONTENT_FILTER, usage));
            }
            return out;
        }
        for (Map<String, Object> part : candidateParts(candidate)) {
            if (Boolean.TRUE.equals(part.get("thought"))) {
                continue;
            }
            if (part.get("text") instanceof String text) {
                if (textIndex == null) {
                    textIndex = parts++;
                }
                if (!text.isEmpty()) {
                    out.add(new ChatEvent.TextDelta(textIndex, text));
                }
            } else if (part.get("functionCall") instanceof Map<?, ?> rawCall) {
                Part.ToolCall call = toolCall(Json.cast(rawCall), calls++);
                int index = parts++;
                textIndex = null;
                out.add(new ChatEvent.ToolCallStarted(index, call.id(), call.name()));
                out.add(new ChatEvent.ToolCallArguments(index, call.argumentsJson()));
            }
        }
        String finishReason = string(candidate, "finishReason", "candidates[0].finishReason");
        if (finishReason != null) {
            finished = true;
            out.add(new ChatEvent.Finished(calls > 0 ? StopReason.TOOL_USE : stopReason(finishReason), usage));
        }
        return out;
    }
}
