package dev.sluice.core.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.provider.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Failures in the error shape of the caller's wire format: the body of an error response, of a final in-band stream
 * event, and of a failed async job. OpenAI's is {@code {"error":{"message","type","param","code"}}}, Anthropic's
 * {@code {"type":"error","error":{"type","message"}}}, Gemini's {@code {"error":{"code","message","status"}}}. An
 * upstream error that already is an envelope (which the gateway only keeps when the provider speaks the caller's
 * format) is passed on byte for byte.
 */
public final class ErrorEnvelope {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_QUOTED_UPSTREAM_CHARS = 500;

    private ErrorEnvelope() {
    }

    /** The body to answer an OpenAI-format caller with. */
    public static byte[] bodyOf(GatewayException failure) {
        return bodyOf(failure, WireFormat.OPENAI);
    }

    /** The body to answer a failure with: the provider's own envelope when it sent one, else a new one. */
    public static byte[] bodyOf(GatewayException failure, WireFormat format) {
        if (failure instanceof UpstreamStatusException upstream && isEnvelope(upstream.body())) {
            return upstream.body();
        }
        return envelope(failure, format);
    }

    /** A new OpenAI envelope describing the failure. */
    public static byte[] envelope(GatewayException failure) {
        return envelope(failure, WireFormat.OPENAI);
    }

    /** A new envelope describing the failure; an upstream body that is not an envelope is quoted in the message. */
    public static byte[] envelope(GatewayException failure, WireFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            switch (format) {
                case OPENAI -> {
                    json.writeObjectFieldStart("error");
                    json.writeStringField("message", messageOf(failure));
                    json.writeStringField("type", failure.type());
                    json.writeStringField("param", failure.param());
                    json.writeStringField("code", failure.code());
                    json.writeEndObject();
                }
                case ANTHROPIC -> {
                    json.writeStringField("type", "error");
                    json.writeObjectFieldStart("error");
                    json.writeStringField("type", anthropicType(failure.status()));
                    json.writeStringField("message", messageOf(failure));
                    json.writeEndObject();
                }
                case GEMINI -> {
                    json.writeObjectFieldStart("error");
                    json.writeNumberField("code", failure.status());
                    json.writeStringField("message", messageOf(failure));
                    json.writeStringField("status", googleStatus(failure.status()));
                    json.writeEndObject();
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
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

    private static String messageOf(GatewayException failure) {
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

    /** Anthropic's error {@code type} for an HTTP status. */
    static String anthropicType(int status) {
        return switch (status) {
            case 400, 405, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    /** Google's canonical error {@code status} for an HTTP status. */
    static String googleStatus(int status) {
        return switch (status) {
            case 400, 405, 413, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 402 -> "FAILED_PRECONDITION";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503, 529 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
        };
    }
}
