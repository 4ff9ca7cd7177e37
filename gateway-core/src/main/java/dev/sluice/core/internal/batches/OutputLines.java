package dev.sluice.core.internal.batches;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.internal.ids.SecureIds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The lines of OpenAI's batch output and error files:
 * {@code {"id":"batch_req_...","custom_id","response":{"status_code","request_id","body"},"error":null}} for a
 * line that was answered, {@code {"id","custom_id","response":null,"error":{"code","message"}}} for one that never was.
 */
final class OutputLines {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private OutputLines() {
    }

    static byte[] answered(String customId, int statusCode, byte[] body) {
        return write(json -> {
            json.writeObjectFieldStart("response");
            json.writeNumberField("status_code", statusCode);
            json.writeStringField("request_id", "req_" + SecureIds.hex(16));
            json.writeFieldName("body");
            json.writeRawValue(new String(body, StandardCharsets.UTF_8));
            json.writeEndObject();
            json.writeNullField("error");
        }, customId);
    }

    static byte[] unanswered(String customId, String code, String message) {
        return write(json -> {
            json.writeNullField("response");
            json.writeObjectFieldStart("error");
            json.writeStringField("code", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        }, customId);
    }

    /** The longest model name kept with a line's result, the store's column. */
    static final int MAX_MODEL_LENGTH = 255;

    /**
     * The top-level {@code model} of an answer, or {@code null}: also when it is not a name the store can keep (too
     * long, or holding control characters), since it only labels the batch and a provider's oddity must not fail it.
     */
    static String modelOf(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("model") && value == JsonToken.VALUE_STRING) {
                    String model = parser.getText();
                    return model.length() <= MAX_MODEL_LENGTH && model.chars().noneMatch(Character::isISOControl) ? model : null;
                }
                parser.skipChildren();
            }
        } catch (IOException unreadable) {
            return null;
        }
        return null;
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Fields fields, String customId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", "batch_req_" + SecureIds.hex(16));
            json.writeStringField("custom_id", customId);
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
