package dev.sluice.core.format.gemini;

import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.requireString;
import static dev.sluice.core.format.json.Json.string;

/**
 * {@code GenerateContentResponse} bodies to and from the canonical answer, with the candidate reading, finish reasons
 * and usage that streams share.
 */
final class GeminiChatAnswers {


    private GeminiChatAnswers() {
    }

    /** Decodes a {@code GenerateContentResponse}; only the first candidate is kept, thought parts are dropped. */
    static ChatResponse decode(byte[] body) {
        return UnreadableAnswerException.decode(() -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            failOnError(json);
            List<Part> content = new ArrayList<>();
            StopReason reason;
            Map<String, Object> candidate = firstCandidate(json);
            if (candidate == null) {
                Map<String, Object> feedback = object(json, "promptFeedback", "promptFeedback");
                reason = feedback != null && feedback.get("blockReason") != null ? StopReason.CONTENT_FILTER : StopReason.END_TURN;
            } else {
                int calls = 0;
                for (Map<String, Object> part : candidateParts(candidate)) {
                    if (Boolean.TRUE.equals(part.get("thought"))) {
                        continue;
                    }
                    if (part.get("text") instanceof String text) {
                        if (!content.isEmpty() && content.getLast() instanceof Part.Text previous) {
                            content.set(content.size() - 1, new Part.Text(previous.text() + text));
                        } else {
                            content.add(new Part.Text(text));
                        }
                    } else if (part.get("functionCall") instanceof Map<?, ?> call) {
                        content.add(toolCall(Json.cast(call), calls++));
                    }
                }
                reason = calls > 0 ? StopReason.TOOL_USE
                        : stopReason(string(candidate, "finishReason", "candidates[0].finishReason"));
            }
            String id = string(json, "responseId", "responseId");
            return new ChatResponse(id != null ? id : newId(), string(json, "modelVersion", "modelVersion"), content,
                    reason, usage(object(json, "usageMetadata", "usageMetadata")));
        });
    }

    /** An {@code error} object in place of an answer, in a body or a stream event, is the provider's failure. */
    static void failOnError(Map<String, Object> json) {
        if (json.get("error") instanceof Map<?, ?> error) {
            throw new UnreadableAnswerException("Error: " + error.get("status") + ": " + error.get("message"));
        }
    }

    static Map<String, Object> firstCandidate(Map<String, Object> json) {
        List<Object> candidates = array(json, "candidates", "candidates");
        return candidates.isEmpty() ? null : asObject(candidates.getFirst(), "candidates[0]");
    }

    static List<Map<String, Object>> candidateParts(Map<String, Object> candidate) {
        Map<String, Object> content = object(candidate, "content", "candidates[0].content");
        List<Map<String, Object>> parts = new ArrayList<>();
        if (content != null) {
            for (Object part : array(content, "parts", "candidates[0].content.parts")) {
                parts.add(asObject(part, "candidates[0].content.parts[]"));
            }
        }
        return parts;
    }

    /** The {@code n}th function call of an answer, with the id {@code call_<n>} synthesised for it. */
    static Part.ToolCall toolCall(Map<String, Object> call, int n) {
        Object args = call.get("args");
        return new Part.ToolCall("call_" + n, requireString(call, "name", "functionCall.name"),
                args == null ? "{}" : Json.write(args));
    }

    /** An id for an answer that came without a {@code responseId}. */
    static String newId() {
        return "gen-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Encodes a canonical answer as a {@code GenerateContentResponse} with one candidate. */
    static byte[] encode(ChatResponse response) {
        List<Object> parts = new ArrayList<>();
        for (Part part : response.content()) {
            switch (part) {
                case Part.Text text -> parts.add(object("text", text.text()));
                case Part.ToolCall call -> parts.add(object("functionCall", object("name", call.name(),
                        "args", Json.parse(call.argumentsJson(), "content.arguments"))));
                default -> throw new IllegalArgumentException("not an answer part: " + part);
            }
        }
        return Json.writeBytes(object("candidates", List.of(object("content", object("role", "model", "parts", parts),
                        "finishReason", finishReason(response.stopReason()), "index", 0)),
                "usageMetadata", usage(response.usage()), "modelVersion", response.model(), "responseId", response.id()));
    }

    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN; // STOP, OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL, FINISH_REASON_UNSPECIFIED
        };
    }

    /** Gemini says {@code STOP} for a natural end, a stop sequence and a function call alike. */
    static String finishReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN, STOP_SEQUENCE, TOOL_USE -> "STOP";
            case MAX_TOKENS -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }

    /** Prompt tokens include cached ones; canonical output tokens include thoughts, which Gemini counts apart. */
    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        long thoughts = Json.count(usage, "thoughtsTokenCount");
        return new Usage(Json.count(usage, "promptTokenCount") + Json.count(usage, "toolUsePromptTokenCount"),
                Json.count(usage, "candidatesTokenCount") + thoughts, Json.count(usage, "cachedContentTokenCount"), thoughts);
    }

    static Map<String, Object> usage(Usage usage) {
        Map<String, Object> json = object("promptTokenCount", usage.inputTokens(),
                "candidatesTokenCount", usage.outputTokens() - usage.reasoningTokens(),
                "totalTokenCount", usage.inputTokens() + usage.outputTokens());
        if (usage.cachedInputTokens() != 0) {
            json.put("cachedContentTokenCount", usage.cachedInputTokens());
        }
        if (usage.reasoningTokens() != 0) {
            json.put("thoughtsTokenCount", usage.reasoningTokens());
        }
        return json;
    }
}
