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
 * Turns canonical events into the Responses API's named stream events, each with its {@code type} and
 * {@code sequence_number}. Each canonical part becomes one output item: a message with one {@code output_text}
 * part, or a function call. An item is done when the next one starts, as OpenAI streams them one after another;
 * the last ones are done when the answer finishes, and {@code response.completed} (or {@code response.incomplete},
 * when the token limit or a content filter cut it short) carries the whole object with its usage.
 */
final class ResponsesStreamEncoder implements ChatCodec.EventEncoder {

    /** One output item being streamed. */
    private static final class Item {
        final int outputIndex;
        final String id;
        final String callId;
        final String name;
        final StringBuilder text = new StringBuilder();
        boolean done;

        Item(int outputIndex, String id, String callId, String name) {
            this.outputIndex = outputIndex;
            this.id = id;
            this.callId = callId;
            this.name = name;
        }

        boolean isCall() {
            return name != null;
        }
    }

    private final Clock clock;
    /** The item each canonical part index streams into. */
    private final Map<Integer, Item> items = new HashMap<>();
    /** Every item, in output order. */
    private final List<Item> output = new ArrayList<>();
    private final List<SseEvent> out = new ArrayList<>();
    private int sequence;
    private String id;
    private String model;
    private long createdAt;
    private Item current;

    ResponsesStreamEncoder(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<SseEvent> encode(ChatEvent event) {
        out.clear();
        switch (event) {
            case ChatEvent.Started started -> start(started.id(), started.model());
            case ChatEvent.TextDelta delta -> {
                Item item = items.get(delta.index());
                if (item == null || item.isCall()) {
                    item = openMessage(delta.index());
                }
                item.text.append(delta.text());
                emit("response.output_text.delta", inText(item, "delta", delta.text()));
            }
            case ChatEvent.ToolCallStarted call -> openCall(call.index(), call.id(), call.name());
            case ChatEvent.ToolCallArguments arguments -> {
                Item item = items.get(arguments.index());
                if (item == null || !item.isCall()) {
                    item = openCall(arguments.index(), null, "");
                }
                item.text.append(arguments.jsonFragment());
                emit("response.function_call_arguments.delta", object("item_id", item.id,
                        "output_index", item.outputIndex, "delta", arguments.jsonFragment()));
            }
            case ChatEvent.Finished finished -> {
                start(null, null);
                String status = ResponsesObjects.incompleteReason(finished.reason()) == null ? "completed" : "incomplete";
                closeCurrent(status);
                List<Object> done = new ArrayList<>();
                for (Item item : output) {
                    done.add(itemObject(item, status));
                }
                Map<String, Object> response = ResponsesObjects.finished(id, createdAt, model, done,
                        finished.reason(), finished.usage());
                emit("completed".equals(response.get("status")) ? "response.completed" : "response.incomplete",
                        object("response", response));
            }
        }
        return List.copyOf(out);
    }

    /** Announces the response once, even when the provider's stream said nothing before its first part. */
    private void start(String providerId, String providerModel) {
        if (id != null) {
            return;
        }
        id = ResponsesObjects.responseId(providerId);
        model = providerModel;
        createdAt = clock.instant().getEpochSecond();
        emit("response.created", object("response", ResponsesObjects.skeleton(id, createdAt, model, "in_progress")));
        emit("response.in_progress", object("response", ResponsesObjects.skeleton(id, createdAt, model, "in_progress")));
    }

    private Item openMessage(int index) {
        Item item = open(index, "msg_", null, null);
        emit("response.output_item.added", object("output_index", item.outputIndex,
                "item", ResponsesObjects.message(item.id, "in_progress", List.of())));
        emit("response.content_part.added", inPart(item, ResponsesObjects.outputText("")));
        return item;
    }

    private Item openCall(int index, String callId, String name) {
        Item item = open(index, "fc_", callId, name == null ? "" : name);
        emit("response.output_item.added", object("output_index", item.outputIndex, "item", itemObject(item, "in_progress")));
        return item;
    }

    private Item open(int index, String prefix, String callId, String name) {
        start(null, null);
        closeCurrent("completed");
        int outputIndex = output.size();
        Item item = new Item(outputIndex, ResponsesObjects.itemId(prefix, id, outputIndex),
                name == null ? null : ResponsesObjects.callId(callId, outputIndex), name);
        // A part reopened under an index already used gets a fresh item; the old one keeps its place in the output.
        items.put(index, item);
        output.add(item);
        current = item;
        return item;
    }

    private void closeCurrent(String status) {
        if (current == null || current.done) {
            return;
        }
        current.done = true;
        if (current.isCall()) {
            emit("response.function_call_arguments.done", object("item_id", current.id,
                    "output_index", current.outputIndex, "name", current.name, "arguments", current.text.toString()));
        } else {
            emit("response.output_text.done", inText(current, "text", current.text.toString()));
            emit("response.content_part.done", inPart(current, ResponsesObjects.outputText(current.text.toString())));
        }
        emit("response.output_item.done", object("output_index", current.outputIndex,
                "item", itemObject(current, status)));
    }

    private static Map<String, Object> itemObject(Item item, String status) {
        if (item.isCall()) {
            return ResponsesObjects.functionCall(item.id, item.callId, item.name, item.text.toString(), status);
        }
        List<Object> content = "in_progress".equals(status) ? List.of()
                : List.of(ResponsesObjects.outputText(item.text.toString()));
        return ResponsesObjects.message(item.id, status, content);
    }

    private static Map<String, Object> inText(Item item, String key, String text) {
        Map<String, Object> fields = object("item_id", item.id, "output_index", item.outputIndex, "content_index", 0,
                key, text);
        fields.put("logprobs", List.of());
        return fields;
    }

    private static Map<String, Object> inPart(Item item, Map<String, Object> part) {
        return object("item_id", item.id, "output_index", item.outputIndex, "content_index", 0, "part", part);
    }

    private void emit(String type, Map<String, Object> fields) {
        Map<String, Object> event = object("type", type, "sequence_number", sequence++);
        event.putAll(fields);
        out.add(SseEvent.named(type, Json.write(event)));
    }
}
