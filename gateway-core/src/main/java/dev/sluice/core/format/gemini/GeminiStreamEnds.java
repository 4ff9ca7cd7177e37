package dev.sluice.core.format.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;

/**
 * Which event ends a Gemini stream properly. Gemini sends no {@code [DONE]}: the answer is whole once an
 * event's candidate carries a {@code finishReason}, or once the prompt itself was refused
 * ({@code promptFeedback.blockReason}, which comes with no candidates at all).
 */
final class GeminiStreamEnds {

    private static final JsonFactory JSON = new JsonFactory();

    private GeminiStreamEnds() {
    }

    static boolean endsStream(SseEvent event) {
        String data = event.data();
        // Most events are text deltas without either field: skip parsing them.
        if (!data.contains("\"finishReason\"") && !data.contains("\"blockReason\"")) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("candidates".equals(field) && value == JsonToken.START_ARRAY && anyHas(parser, "finishReason")) {
                    return true;
                }
                if ("promptFeedback".equals(field) && value == JsonToken.START_OBJECT && has(parser, "blockReason")) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    // With the parser on an array of objects: whether any of them has the field set; consumes the array.
    private static boolean anyHas(JsonParser parser, String name) throws IOException {
        boolean found = false;
        for (JsonToken item; (item = parser.nextToken()) != JsonToken.END_ARRAY && item != null; ) {
            if (item == JsonToken.START_OBJECT) {
                found |= has(parser, name);
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    // With the parser on an object's start: whether it has the field with a non-null value; consumes the object.
    private static boolean has(JsonParser parser, String name) throws IOException {
        boolean found = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(field) && value != JsonToken.VALUE_NULL) {
                found = true;
            }
            parser.skipChildren();
        }
        return found;
    }
}
