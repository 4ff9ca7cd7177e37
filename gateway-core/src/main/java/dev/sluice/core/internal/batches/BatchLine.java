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
public record BatchLine(int number, String customId, String method, String url, byte[] body) {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Why a line cannot be read at all. */
    public static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    public static BatchLine parse(int number, byte[] bytes) throws Unreadable {
        String customId = null;
        String method = null;
        String url = null;
        byte[] body = null;
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Unreadable("is not a JSON object");
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
                throw new Unreadable("has content after its JSON object");
            }
        } catch (IOException e) {
            throw new Unreadable("is not valid JSON");
        }
        return new BatchLine(number, customId, method, url, body);
    }
}
