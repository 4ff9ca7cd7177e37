package dev.sluice.core.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.core.error.InvalidRequestException;

import java.io.IOException;

/**
 * An OpenAI-format JSON request body, validated once and kept as bytes so that the fast path can forward
 * it with only the {@code model} value spliced, leaving every other byte (and every field the gateway
 * does not know) exactly as the caller sent it.
 */
public final class RequestBody {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final byte[] bytes;
    private final String model;
    private final boolean stream;
    private final int modelStart;
    private final int modelEnd;

    private RequestBody(byte[] bytes, String model, boolean stream, int modelStart, int modelEnd) {
        this.bytes = bytes;
        this.model = model;
        this.stream = stream;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
    }

    /**
     * Reads the whole body once: it must be a JSON object with a string {@code model}; {@code stream},
     * when present, must be a boolean.
     *
     * @throws InvalidRequestException saying what is wrong with the body
     */
    public static RequestBody parse(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("Request body must be a JSON object.", null);
            }
            String model = null;
            boolean stream = false;
            int modelStart = -1;
            int modelEnd = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new InvalidRequestException("'model' must be a string.", "model");
                        }
                        modelStart = (int) parser.currentTokenLocation().getByteOffset();
                        model = parser.getText();
                        modelEnd = (int) parser.currentLocation().getByteOffset();
                    }
                    case "stream" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
                            throw new InvalidRequestException("'stream' must be a boolean.", "stream");
                        }
                        stream = value == JsonToken.VALUE_TRUE;
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidRequestException("Request body has content after the JSON object.", null);
            }
            if (model == null || model.isBlank()) {
                throw new InvalidRequestException("You must provide a model parameter.", "model");
            }
            return new RequestBody(bytes, model, stream, modelStart, modelEnd);
        } catch (IOException e) {
            throw new InvalidRequestException("Request body is not valid JSON: " + firstLine(e.getMessage()), null);
        }
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** The body exactly as received. The array is shared: do not modify it. */
    public byte[] bytes() {
        return bytes;
    }

    /** The body with only the {@code model} value replaced; every other byte is the caller's. */
    public byte[] withModel(String newModel) {
        if (newModel.equals(model)) {
            return bytes;
        }
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(newModel);
        byte[] out = new byte[bytes.length - (modelEnd - modelStart) + quoted.length + 2];
        System.arraycopy(bytes, 0, out, 0, modelStart);
        int at = modelStart;
        out[at++] = '"';
        System.arraycopy(quoted, 0, out, at, quoted.length);
        at += quoted.length;
        out[at++] = '"';
        System.arraycopy(bytes, modelEnd, out, at, bytes.length - modelEnd);
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
