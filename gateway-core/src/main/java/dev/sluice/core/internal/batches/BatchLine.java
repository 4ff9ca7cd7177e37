package dev.sluice.core.internal.batches;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;

/**
 * One request line of a batch input file: {@code {"custom_id","method":"POST","url","body":{...}}}, read
 * in one streaming pass; the body is kept as the caller's bytes.
 *
 * @param number   1-based line number
 * @param customId the caller's id for the line
 * @param method   the HTTP method, {@code null} when absent
 * @param url      the endpoint, {@code null} when absent
 * @param body     the body object's bytes, {@code null} when absent or not an object
 */
// Public for the benchmarks module only.
public record BatchLine(int number, String customId, String method, String url, byte[] body) implements ReadLine {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** The line, or why it cannot be read: not one JSON object, or not JSON at all. */
    public static ReadLine read(int number, byte[] bytes) {
        String customId = null;
        String method = null;
        String url = null;
        byte[] body = null;
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new ReadLine.Unreadable("is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "custom_id" -> customId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "method" -> method = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "url" -> url = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "body" -> {
                        if (value == JsonToken.START_OBJECT) {
                            int start = (int) parser.currentTokenLocation().getByteOffset();
                            parser.skipChildren();
                            body = Arrays.copyOfRange(bytes, start, (int) parser.currentLocation().getByteOffset());
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return new ReadLine.Unreadable("has content after its JSON object");
            }
        } catch (IOException e) {
            // Jackson reports malformed JSON only by throwing: this is where that becomes a value.
            return new ReadLine.Unreadable("is not valid JSON");
        }
        return new BatchLine(number, customId, method, url, body);
    }
}
