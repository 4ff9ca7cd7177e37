package dev.sluice.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Failures in OpenAI's error envelope {@code {"error":{"message","type","param","code"}}}: the body of an
 * error response, of a final in-band stream event, and of a failed async job. An upstream error that
 * already is such an envelope is kept byte for byte.
 */
public final class ErrorEnvelope {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_QUOTED_UPSTREAM_CHARS = 500;

    private ErrorEnvelope() {
    }

    /** The body to answer a failure with: the provider's own envelope when it sent one, else a new one. */
    public static byte[] bodyOf(GatewayException failure) {
        if (failure instanceof UpstreamStatusException upstream && isEnvelope(upstream.body())) {
            return upstream.body();
        }
        return envelope(failure);
    }

    /** A new envelope describing the failure; an upstream body that is not an envelope is quoted in the message. */
    public static byte[] envelope(GatewayException failure) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("message", messageOf(failure));
            json.writeStringField("type", failure.type());
            json.writeStringField("param", failure.param());
            json.writeStringField("code", failure.code());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Whether the body is a JSON object with an {@code error} object. */
    public static boolean isEnvelope(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isError = parser.currentName().equals("error");
                if (parser.nextToken() == JsonToken.START_OBJECT && isError) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String messageOf(GatewayException failure) {
        if (failure instanceof UpstreamStatusException upstream && upstream.body().length > 0) {
            String text = new String(upstream.body(), StandardCharsets.UTF_8).strip();
            if (text.length() > MAX_QUOTED_UPSTREAM_CHARS) {
                text = text.substring(0, MAX_QUOTED_UPSTREAM_CHARS) + "...";
            }
            return failure.getMessage() + ": " + text;
        }
        return failure.getMessage();
    }
}
