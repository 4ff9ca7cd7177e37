package dev.sluice.core.format.openai;

import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * {@code chat.completion} bodies to and from the canonical answer, with the finish reasons and usage that the
 * stream chunks share.
 */
final class OpenAiChatAnswers {


    private OpenAiChatAnswers() {
    }

    /** Decodes a {@code chat.completion} body; only the first choice is kept. */
    static ChatResponse decode(byte[] body) {
        return UnreadableAnswerException.decode(() -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            List<Object> choices = array(json, "choices", "choices");
            List<Part> content = new ArrayList<>();
            StopReason reason = StopReason.END_TURN;
            if (!choices.isEmpty()) {
                Map<String, Object> choice = asObject(choices.getFirst(), "choices[0]");
                Map<String, Object> message = object(choice, "message", "choices[0].message");
                if (message != null) {
                    content.addAll(OpenAiChatRequests.assistantParts(message, "choices[0].message"));
                }
                reason = stopReason(string(choice, "finish_reason", "choices[0].finish_reason"));
            }
            return new ChatResponse(string(json, "id", "id"), string(json, "model", "model"), content, reason,
                    usage(object(json, "usage", "usage")));
        });
    }

    /** Encodes a canonical answer as a {@code chat.completion} body with one choice, created at {@code created}. */
    static byte[] encode(ChatResponse response, long created) {
        Map<String, Object> message = OpenAiChatRequests.assistantMessage(response.content(), "content");
        Map<String, Object> choice = object("index", 0, "message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(response.stopReason()));
        return Json.writeBytes(object("id", response.id(), "object", "chat.completion",
                "created", created, "model", response.model(),
                "choices", List.of(choice), "usage", usage(response.usage())));
    }

    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN;
        };
    }

    /** OpenAI says {@code stop} both for a natural end and for a stop sequence. */
    static String finishReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        Object prompt = usage.get("prompt_tokens_details");
        Object completion = usage.get("completion_tokens_details");
        return new Usage(Json.count(usage, "prompt_tokens"), Json.count(usage, "completion_tokens"),
                prompt instanceof Map<?, ?> p ? Json.count(Json.cast(p), "cached_tokens") : 0,
                completion instanceof Map<?, ?> c ? Json.count(Json.cast(c), "reasoning_tokens") : 0);
    }

    static Map<String, Object> usage(Usage usage) {
        return object("prompt_tokens", usage.inputTokens(), "completion_tokens", usage.outputTokens(),
                "total_tokens", usage.inputTokens() + usage.outputTokens(),
                "prompt_tokens_details", object("cached_tokens", usage.cachedInputTokens()),
                "completion_tokens_details", object("reasoning_tokens", usage.reasoningTokens()));
    }
}
