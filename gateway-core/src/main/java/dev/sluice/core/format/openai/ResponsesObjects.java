package dev.sluice.core.format.openai;

import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * The Responses API's {@code response} object to and from a canonical answer, and the pieces of it that its stream
 * events carry too. The request's echo (instructions, tools, temperature...) is not known when the answer is
 * written, so those fields hold their defaults: the SDKs require them to be present, not to echo the request.
 */
final class ResponsesObjects {


    private ResponsesObjects() {
    }

    /** A response id as OpenAI writes them, keeping the provider's own id inside it when there is one. */
    static String responseId(String providerId) {
        if (providerId == null || providerId.isBlank()) {
            // Not a secret, only unique: a fast random source that never blocks an event loop will do.
            byte[] random = new byte[16];
            ThreadLocalRandom.current().nextBytes(random);
            return "resp_" + HexFormat.of().formatHex(random);
        }
        return providerId.startsWith("resp_") ? providerId : "resp_" + providerId;
    }

    /** The id of the output item at {@code outputIndex}: derived from the response's, so a stream and its final object agree. */
    static String itemId(String prefix, String responseId, int outputIndex) {
        return prefix + responseId.substring("resp_".length()) + "_" + outputIndex;
    }

    /** Every field the SDKs require of a response object, with its output still to add. */
    static Map<String, Object> skeleton(String id, long createdAt, String model, String status) {
        Map<String, Object> json = object("id", id, "object", "response", "created_at", createdAt, "status", status,
                "background", false);
        json.put("error", null);
        json.put("incomplete_details", null);
        json.put("instructions", null);
        json.put("metadata", object());
        json.put("model", model == null ? "" : model);
        json.put("output", new ArrayList<>());
        json.put("parallel_tool_calls", true);
        json.put("temperature", null);
        json.put("tool_choice", "auto");
        json.put("tools", List.of());
        json.put("top_p", null);
        json.put("usage", null);
        return json;
    }

    /** The final object: status, why it is incomplete if it is, its output items and usage. */
    static Map<String, Object> finished(String id, long createdAt, String model, List<Object> output, StopReason reason,
                                        Usage usage) {
        String incomplete = incompleteReason(reason);
        Map<String, Object> json = skeleton(id, createdAt, model, incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) {
            json.put("incomplete_details", object("reason", incomplete));
        }
        json.put("output", output);
        json.put("usage", usage(usage));
        return json;
    }

    /** A canonical answer as a response object; consecutive texts make one message item, each tool call its own item. */
    static byte[] encode(ChatResponse response, long createdAt) {
        String id = responseId(response.id());
        String status = incompleteReason(response.stopReason()) == null ? "completed" : "incomplete";
        List<Object> output = new ArrayList<>();
        List<Object> texts = new ArrayList<>();
        for (Part part : response.content()) {
            switch (part) {
                case Part.Text text -> texts.add(outputText(text.text()));
                case Part.ToolCall call -> {
                    if (!texts.isEmpty()) {
                        output.add(message(itemId("msg_", id, output.size()), status, new ArrayList<>(texts)));
                        texts.clear();
                    }
                    output.add(functionCall(itemId("fc_", id, output.size()), callId(call.id(), output.size()),
                            call.name(), call.argumentsJson(), status));
                }
                default -> throw new UnreadableAnswerException(
                        "an answer cannot hold a " + part.getClass().getSimpleName() + " part");
            }
        }
        if (!texts.isEmpty()) {
            output.add(message(itemId("msg_", id, output.size()), status, texts));
        }
        return Json.writeBytes(finished(id, createdAt, response.model(), output, response.stopReason(), response.usage()));
    }

    static Map<String, Object> message(String id, String status, List<Object> content) {
        return object("type", "message", "id", id, "status", status, "role", "assistant", "content", content);
    }

    static Map<String, Object> outputText(String text) {
        return object("type", "output_text", "text", text, "annotations", List.of());
    }

    static Map<String, Object> functionCall(String id, String callId, String name, String arguments, String status) {
        return object("type", "function_call", "id", id, "call_id", callId, "name", name, "arguments", arguments,
                "status", status);
    }

    /** Gemini gives its calls no id, and a Responses caller needs one to send the result back. */
    static String callId(String id, int outputIndex) {
        return id != null ? id : "call_" + outputIndex;
    }

    /** A stop that OpenAI reports as an incomplete response, with its reason; {@code null} for a complete one. */
    static String incompleteReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case MAX_TOKENS -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            case END_TURN, STOP_SEQUENCE, TOOL_USE -> null;
        };
    }

    /** The stop reason of a finished response object; a failed response is the provider's error. */
    static StopReason stopReason(Map<String, Object> response, boolean calledTools) {
        String status = string(response, "status", "status");
        if ("failed".equals(status)) {
            Map<String, Object> error = object(response, "error", "error");
            throw new UnreadableAnswerException("the response failed: "
                    + (error == null ? "no reason given" : string(error, "message", "error.message")));
        }
        Map<String, Object> details = object(response, "incomplete_details", "incomplete_details");
        String reason = details == null ? null : string(details, "reason", "incomplete_details.reason");
        if ("incomplete".equals(status) && "content_filter".equals(reason)) {
            return StopReason.CONTENT_FILTER;
        }
        if ("incomplete".equals(status)) {
            return StopReason.MAX_TOKENS;
        }
        return calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
    }

    /** Decodes a response object; reasoning and other items that are OpenAI's own are left out. */
    static ChatResponse decode(Map<String, Object> json) {
        List<Part> content = new ArrayList<>();
        boolean calledTools = false;
        List<Object> output = array(json, "output", "output");
        for (int i = 0; i < output.size(); i++) {
            String at = "output[" + i + "]";
            Map<String, Object> item = asObject(output.get(i), at);
            switch (String.valueOf(item.get("type"))) {
                case "message" -> {
                    List<Object> parts = array(item, "content", at + ".content");
                    for (int j = 0; j < parts.size(); j++) {
                        Map<String, Object> part = asObject(parts.get(j), at + ".content[" + j + "]");
                        if ("output_text".equals(part.get("type"))) {
                            content.add(new Part.Text(String.valueOf(part.get("text"))));
                        } else if ("refusal".equals(part.get("type"))) {
                            content.add(new Part.Text(String.valueOf(part.get("refusal"))));
                        }
                    }
                }
                case "function_call" -> {
                    calledTools = true;
                    content.add(new Part.ToolCall(string(item, "call_id", at + ".call_id"),
                            String.valueOf(item.get("name")), string(item, "arguments", at + ".arguments")));
                }
                default -> { }
            }
        }
        return new ChatResponse(string(json, "id", "id"), string(json, "model", "model"), content,
                stopReason(json, calledTools), usage(object(json, "usage", "usage")));
    }

    static Map<String, Object> usage(Usage usage) {
        // openai-java requires cache_write_tokens next to cached_tokens; the canonical model does not count writes.
        return object("input_tokens", usage.inputTokens(),
                "input_tokens_details", object("cached_tokens", usage.cachedInputTokens(), "cache_write_tokens", 0),
                "output_tokens", usage.outputTokens(),
                "output_tokens_details", object("reasoning_tokens", usage.reasoningTokens()),
                "total_tokens", usage.inputTokens() + usage.outputTokens());
    }

    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        Object input = usage.get("input_tokens_details");
        Object output = usage.get("output_tokens_details");
        return new Usage(Json.count(usage, "input_tokens"), Json.count(usage, "output_tokens"),
                input instanceof Map<?, ?> in ? Json.count(Json.cast(in), "cached_tokens") : 0,
                output instanceof Map<?, ?> out ? Json.count(Json.cast(out), "reasoning_tokens") : 0);
    }
}
