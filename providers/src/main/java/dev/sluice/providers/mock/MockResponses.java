package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.List;

/** The Responses API: the response object, and the named event sequence that streams it. */
final class MockResponses {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String responseId = MockIds.next("resp_");
    private final String messageId = MockIds.next("msg_");
    private final MockPrompt prompt;
    private final JsonNode request;
    private final String model;
    private final long createdAt;

    MockResponses(MockPrompt prompt, JsonNode request, String model, long createdAt) {
        this.prompt = prompt;
        this.request = request;
        this.model = model;
        this.createdAt = createdAt;
    }

    ObjectNode response() {
        ObjectNode response = response("completed");
        response.putArray("output").add(message("completed", true));
        response.set("usage", usage());
        return response;
    }

    List<SseEvent> events() {
        Sequence events = new Sequence();
        ObjectNode started = response("in_progress");
        started.putArray("output");
        started.putNull("usage");
        events.add("response.created", JSON.objectNode().set("response", started));
        events.add("response.in_progress", JSON.objectNode().set("response", started));
        events.add("response.output_item.added", item(message("in_progress", false)));
        events.add("response.content_part.added", part(outputText("")));
        for (String piece : MockTokens.pieces(prompt.reply())) {
            ObjectNode delta = inContent().put("delta", piece);
            delta.putArray("logprobs");
            events.add("response.output_text.delta", delta);
        }
        ObjectNode textDone = inContent().put("text", prompt.reply());
        textDone.putArray("logprobs");
        events.add("response.output_text.done", textDone);
        events.add("response.content_part.done", part(outputText(prompt.reply())));
        events.add("response.output_item.done", item(message("completed", true)));
        events.add("response.completed", JSON.objectNode().set("response", response()));
        return events.list;
    }

    private ObjectNode response(String status) {
        ObjectNode response = JSON.objectNode()
                .put("id", responseId)
                .put("object", "response")
                .put("created_at", createdAt)
                .put("status", status)
                .put("background", false);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : JSON.nullNode());
        response.set("metadata", request.path("metadata").isObject() ? request.get("metadata") : JSON.objectNode());
        response.put("model", model);
        response.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        response.set("previous_response_id", request.path("previous_response_id").isTextual() ? request.get("previous_response_id") : JSON.nullNode());
        response.put("temperature", request.path("temperature").asDouble(1.0));
        response.put("tool_choice", "auto");
        response.putArray("tools");
        response.put("top_p", request.path("top_p").asDouble(1.0));
        response.put("truncation", "disabled");
        response.set("text", JSON.objectNode().set("format", JSON.objectNode().put("type", "text")));
        return response;
    }

    private ObjectNode message(String status, boolean withText) {
        ObjectNode message = JSON.objectNode()
                .put("type", "message")
                .put("id", messageId)
                .put("status", status)
                .put("role", "assistant");
        var content = message.putArray("content");
        if (withText) {
            content.add(outputText(prompt.reply()));
        }
        return message;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = JSON.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    private ObjectNode usage() {
        int output = MockTokens.count(prompt.reply());
        ObjectNode usage = JSON.objectNode().put("input_tokens", prompt.promptTokens());
        // openai-java 4.x validate() requires cache_write_tokens next to cached_tokens.
        usage.set("input_tokens_details", JSON.objectNode().put("cached_tokens", 0).put("cache_write_tokens", 0));
        usage.put("output_tokens", output);
        usage.set("output_tokens_details", JSON.objectNode().put("reasoning_tokens", 0));
        usage.put("total_tokens", prompt.promptTokens() + output);
        return usage;
    }

    private ObjectNode item(ObjectNode message) {
        return JSON.objectNode().put("output_index", 0).set("item", message);
    }

    private ObjectNode part(ObjectNode part) {
        return inContent().set("part", part);
    }

    private ObjectNode inContent() {
        return JSON.objectNode().put("item_id", messageId).put("output_index", 0).put("content_index", 0);
    }

    /** Numbers the events in order, as OpenAI's {@code sequence_number} does. */
    private static final class Sequence {
        final List<SseEvent> list = new ArrayList<>();

        void add(String type, ObjectNode fields) {
            ObjectNode event = JSON.objectNode().put("type", type).put("sequence_number", list.size());
            event.setAll(fields);
            list.add(SseEvent.named(type, event.toString()));
        }
    }
}
