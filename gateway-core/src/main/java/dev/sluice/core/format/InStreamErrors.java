package dev.sluice.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;
import java.util.OptionalInt;

/**
 * Errors that a provider reports inside a 200 stream as {@code data: {"error": {...}}}, as OpenAI-compatible servers
 * and Gemini do: the status such an event stands for is the error's own numeric {@code code} when that is an HTTP
 * error status (as Gemini sends), else 502.
 */
public final class InStreamErrors {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int IN_STREAM_STATUS = 502;

    private InStreamErrors() {
    }

    /** The status of an event whose data is an object with an {@code error} object; empty for any other event. */
    public static OptionalInt statusOf(SseEvent event) {
        String data = event.data();
        // Most events are deltas: only parse those that may be an error.
        if (!data.contains("\"error\"")) {
            return OptionalInt.empty();
        }
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalInt.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("error".equals(field) && value == JsonToken.START_OBJECT) {
                    return OptionalInt.of(statusIn(parser));
                }
                parser.skipChildren();
            }
            return OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    // With the parser on the error object's start: its numeric code when it is an HTTP error status, else 502.
    private static int statusIn(JsonParser parser) throws IOException {
        int status = IN_STREAM_STATUS;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("code".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                int code = parser.getIntValue();
                if (code >= 400 && code < 600) {
                    status = code;
                }
            }
            parser.skipChildren();
        }
        return status;
    }
}
