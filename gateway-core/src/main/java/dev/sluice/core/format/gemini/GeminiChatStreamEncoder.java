package dev.sluice.core.format.gemini;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.gemini.GeminiChatAnswers.finishReason;
import static dev.sluice.core.format.gemini.GeminiChatAnswers.usage;
import static dev.sluice.core.format.json.Json.object;

/**
 * Turns canonical events into unnamed {@code data:} events of {@code GenerateContentResponse} chunks: text is sent
 * as it comes, a function call once its arguments are whole (when the next part starts or the answer finishes),
 * and the last chunk carries the finish reason and usage.
 */
public final class GeminiChatStreamEncoder implements ChatCodec.EventEncoder {

    private String id;
    private String model;
    private String callName;
    private StringBuilder callArguments;

    GeminiChatStreamEncoder() {
    }

    /** The events for one canonical event, in order. */
    @Override
    public List<SseEvent> encode(ChatEvent event) {
        List<SseEvent> out = new ArrayList<>();
        switch (event) {
            case ChatEvent.Started started -> {
                id = started.id();
                model = started.model();
            }
            case ChatEvent.TextDelta text -> {
                flushCall(out);
                out.add(chunk(List.of(object("text", text.text())), null, null));
            }
            case ChatEvent.ToolCallStarted call -> {
                flushCall(out);
                callName = call.name();
                callArguments = new StringBuilder();
            }
            case ChatEvent.ToolCallArguments arguments -> {
                if (callArguments != null) {
                    callArguments.append(arguments.jsonFragment());
                }
            }
            case ChatEvent.Finished finished -> {
                List<Object> parts = new ArrayList<>();
                Object call = pendingCall();
                parts.add(call != null ? call : object("text", ""));
                out.add(chunk(parts, finishReason(finished.reason()), usage(finished.usage())));
            }
        }
        return out;
    }

    private Object pendingCall() {
        if (callName == null) {
            return null;
        }
        String arguments = callArguments.isEmpty() ? "{}" : callArguments.toString();
        Object call = object("functionCall", object("name", callName, "args",
                UnreadableAnswerException.decode(() -> Json.parse(arguments, "arguments"))));
        callName = null;
        callArguments = null;
        return call;
    }

    private void flushCall(List<SseEvent> out) {
        Object call = pendingCall();
        if (call != null) {
            out.add(chunk(List.of(call), null, null));
        }
    }

    private SseEvent chunk(List<Object> parts, String finishReason, Map<String, Object> usage) {
        Map<String, Object> candidate = object("content", object("role", "model", "parts", parts),
                "finishReason", finishReason, "index", 0);
        return SseEvent.data(Json.write(object("candidates", List.of(candidate), "usageMetadata", usage,
                "modelVersion", model, "responseId", id)));
    }
}
