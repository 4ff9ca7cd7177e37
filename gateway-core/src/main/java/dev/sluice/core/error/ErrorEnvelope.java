package dev.sluice.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What every wire format's error envelope has in common: a JSON object with an {@code error} object that has a
 * {@code message}. Each format writes its own envelope ({@link dev.sluice.core.format.WireFormat#envelope}); these
 * read upstream ones and word the message.
 */
public final class ErrorEnvelope {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_QUOTED_UPSTREAM_CHARS = 500;

    private ErrorEnvelope() {
    }

    /** Whether the body is a JSON object with an {@code error} object. */
    public static boolean isEnvelope(byte[] body) {
        return errorMessage(body) != null;
    }

    /** What an upstream error body says: its {@code error.message} when it has one, else its text, shortened. */
    public static String upstreamMessage(byte[] body) {
        String message = errorMessage(body);
        return message != null && !message.isEmpty() ? message : quoted(body);
    }

    /** {@code error.message} of an envelope ({@code ""} when it has none), or {@code null} when the body is not one. */
    private static String errorMessage(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isError = parser.currentName().equals("error");
                if (parser.nextToken() == JsonToken.START_OBJECT && isError) {
                    String message = "";
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isMessage = parser.currentName().equals("message");
                        if (parser.nextToken() == JsonToken.VALUE_STRING && isMessage) {
                            message = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    return message;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The message of a failure's envelope: its own, with what an upstream error body says after it. */
    public static String messageOf(GatewayException failure) {
        if (failure instanceof UpstreamStatusException upstream && upstream.body().length > 0) {
            // An envelope's own message reads better than its JSON (a provider's error event inside a stream).
            return failure.getMessage() + ": " + upstreamMessage(upstream.body());
        }
        return failure.getMessage();
    }

    private static String quoted(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > MAX_QUOTED_UPSTREAM_CHARS ? text.substring(0, MAX_QUOTED_UPSTREAM_CHARS) + "..." : text;
    }
}
