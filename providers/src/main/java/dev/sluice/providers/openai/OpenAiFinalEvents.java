package dev.sluice.providers.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.request.Operation;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;

/** Which event ends an OpenAI stream properly: {@code [DONE]}, or a terminal event of the Responses API. */
@SuppressWarnings("NullAway") // not yet @NullMarked-clean: being moved elsewhere for issue 17
final class OpenAiFinalEvents {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> RESPONSES_TERMINAL = Set.of(
            "response.completed", "response.incomplete", "response.failed", "error");

    private OpenAiFinalEvents() {
    }

    static Predicate<SseEvent> of(Operation operation) {
        return operation == Operation.RESPONSES ? OpenAiFinalEvents::endsResponse : SseEvent::isDone;
    }

    private static boolean endsResponse(SseEvent event) {
        if (event.event() != null) {
            return RESPONSES_TERMINAL.contains(event.event());
        }
        // Some compatible servers send the Responses events unnamed, with only the JSON type to tell them apart.
        return event.data().contains("\"type\"") && RESPONSES_TERMINAL.contains(topLevelType(event.data()));
    }

    private static String topLevelType(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
