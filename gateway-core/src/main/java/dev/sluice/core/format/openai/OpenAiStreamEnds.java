package dev.sluice.core.format.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;
import java.util.Set;

/** Which event ends a Responses stream properly: one of its terminal events (chat and completions end on {@code [DONE]}). */
final class OpenAiStreamEnds {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> RESPONSES_TERMINAL = Set.of(
            "response.completed", "response.incomplete", "response.failed", "error");

    private OpenAiStreamEnds() {
    }

    static boolean endsResponse(SseEvent event) {
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
