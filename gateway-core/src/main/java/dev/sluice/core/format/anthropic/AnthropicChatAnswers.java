package dev.sluice.core.format.anthropic;

import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;

import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/** Messages response bodies to and from the canonical answer, with the stop reasons and usage that streams share. */
final class AnthropicChatAnswers {


    private AnthropicChatAnswers() {
    }

    /** Decodes a Messages response body; thinking blocks are dropped. */
    static ChatResponse decode(byte[] body) {
        return UnreadableAnswerException.decode(() -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            List<Part> content = AnthropicChatRequests.blocks(json.get("content"), "content", true);
            return new ChatResponse(string(json, "id", "id"), string(json, "model", "model"), content,
                    stopReason(string(json, "stop_reason", "stop_reason")), usage(object(json, "usage", "usage")));
        });
    }

    /** Encodes a canonical answer as a Messages response body. */
    static byte[] encode(ChatResponse response) {
        Object content = AnthropicChatRequests.content(response.content(), "content", true);
        Map<String, Object> json = object("id", response.id(), "type", "message", "role", "assistant",
                "model", response.model(), "content", AnthropicChatRequests.asBlocks(content),
                "stop_reason", stopReason(response.stopReason()));
        json.put("stop_sequence", null);
        json.put("usage", usage(response.usage()));
        return Json.writeBytes(json);
    }

    static StopReason stopReason(String stopReason) {
        if (stopReason == null) {
            return StopReason.END_TURN;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN; // end_turn, pause_turn
        };
    }

    static String stopReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** Canonical input tokens count everything read, cached or not, as OpenAI's prompt tokens do. */
    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        long cacheRead = Json.count(usage, "cache_read_input_tokens");
        return new Usage(Json.count(usage, "input_tokens") + cacheRead + Json.count(usage, "cache_creation_input_tokens"),
                Json.count(usage, "output_tokens"), cacheRead, 0);
    }

    static Map<String, Object> usage(Usage usage) {
        return object("input_tokens", usage.inputTokens() - usage.cachedInputTokens(),
                "cache_read_input_tokens", usage.cachedInputTokens(), "output_tokens", usage.outputTokens());
    }
}
