package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.sse.SseEvent;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/** Legacy text completions, whole and streamed. */
final class MockCompletions {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MockCompletions() {
    }

    static ObjectNode completion(MockPrompt prompt, String model, long created) {
        ObjectNode completion = MockChat.header(MockIds.next("cmpl-"), "text_completion", model, created);
        completion.putArray("choices").add(choice(prompt.reply(), "stop"));
        completion.set("usage", MockChat.usage(prompt));
        return completion;
    }

    static List<SseEvent> chunks(MockPrompt prompt, String model, long created, boolean includeUsage) {
        String id = MockIds.next("cmpl-");
        List<SseEvent> events = new ArrayList<>();
        for (String piece : MockTokens.pieces(prompt.reply())) {
            events.add(chunk(id, model, created, choice(piece, null)));
        }
        events.add(chunk(id, model, created, choice("", "stop")));
        if (includeUsage) {
            ObjectNode last = MockChat.header(id, "text_completion", model, created);
            last.putArray("choices");
            last.set("usage", MockChat.usage(prompt));
            events.add(SseEvent.data(last.toString()));
        }
        events.add(SseEvent.data(SseEvent.DONE));
        return events;
    }

    private static SseEvent chunk(String id, String model, long created, ObjectNode choice) {
        ObjectNode chunk = MockChat.header(id, "text_completion", model, created);
        chunk.putArray("choices").add(choice);
        return SseEvent.data(chunk.toString());
    }

    private static ObjectNode choice(String text, @Nullable String finishReason) {
        ObjectNode choice = JSON.objectNode().put("text", text).put("index", 0);
        choice.putNull("logprobs");
        return choice.put("finish_reason", finishReason);
    }
}
