package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.sse.SseEvent;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/** Chat completions, whole and streamed, in the shapes openai-java parses; with tools offered, a call to one of them. */
final class MockChat {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MockChat() {
    }

    static ObjectNode completion(MockPrompt prompt, @Nullable MockToolCall call, String model, long created) {
        ObjectNode message = JSON.objectNode().put("role", "assistant");
        if (call == null) {
            message.put("content", prompt.reply());
        } else {
            message.putNull("content");
            message.putArray("tool_calls").add(toolCall(call, MockToolCall.ARGUMENTS));
        }
        message.putNull("refusal");
        ObjectNode choice = JSON.objectNode().put("index", 0).set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", call == null ? "stop" : "tool_calls");
        ObjectNode completion = header(MockIds.next("chatcmpl-"), "chat.completion", model, created);
        completion.putArray("choices").add(choice);
        completion.set("usage", usage(prompt));
        return completion;
    }

    static List<SseEvent> chunks(MockPrompt prompt, @Nullable MockToolCall call, String model, long created, boolean includeUsage) {
        String id = MockIds.next("chatcmpl-");
        List<SseEvent> events = new ArrayList<>();
        events.add(chunk(id, model, created, JSON.objectNode().put("role", "assistant").put("content", ""), null, includeUsage));
        if (call == null) {
            for (String piece : MockTokens.pieces(prompt.reply())) {
                events.add(chunk(id, model, created, JSON.objectNode().put("content", piece), null, includeUsage));
            }
        } else {
            ObjectNode delta = JSON.objectNode();
            delta.putArray("tool_calls").add(toolCall(call, "").put("index", 0));
            events.add(chunk(id, model, created, delta, null, includeUsage));
            ObjectNode arguments = JSON.objectNode();
            arguments.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", MockToolCall.ARGUMENTS);
            events.add(chunk(id, model, created, arguments, null, includeUsage));
        }
        events.add(chunk(id, model, created, JSON.objectNode(), call == null ? "stop" : "tool_calls", includeUsage));
        if (includeUsage) {
            ObjectNode last = header(id, "chat.completion.chunk", model, created);
            last.putArray("choices");
            last.set("usage", usage(prompt));
            events.add(SseEvent.data(last.toString()));
        }
        events.add(SseEvent.data(SseEvent.DONE));
        return events;
    }

    private static SseEvent chunk(String id, String model, long created, ObjectNode delta, @Nullable String finishReason, boolean includeUsage) {
        ObjectNode choice = JSON.objectNode().put("index", 0).set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode chunk = header(id, "chat.completion.chunk", model, created);
        chunk.putArray("choices").add(choice);
        if (includeUsage) {
            // OpenAI marks every chunk but the last with usage: null when usage was asked for.
            chunk.putNull("usage");
        }
        return SseEvent.data(chunk.toString());
    }

    private static ObjectNode toolCall(MockToolCall call, String arguments) {
        ObjectNode toolCall = JSON.objectNode().put("id", call.id()).put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", arguments);
        return toolCall;
    }

    static ObjectNode header(String id, String object, String model, long created) {
        return JSON.objectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    static ObjectNode usage(MockPrompt prompt) {
        int completion = MockTokens.count(prompt.reply());
        return JSON.objectNode()
                .put("prompt_tokens", prompt.promptTokens())
                .put("completion_tokens", completion)
                .put("total_tokens", prompt.promptTokens() + completion);
    }
}
