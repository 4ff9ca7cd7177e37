package dev.sluice.core.store.r2dbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.batches.BatchError;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's metadata and errors as the JSON text of their columns: metadata an object of strings, errors an
 * array of {@code {"code","message","param","line"}}. Jackson's streaming API, as core keeps no databind.
 */
final class BatchJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private BatchJson() {
    }

    /** The metadata as a JSON object, or {@code null} for none. */
    static @Nullable String metadata(@Nullable Map<String, String> metadata) {
        if (metadata == null) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    /** The metadata read back, in stored order; {@code null} for none. */
    static @Nullable Map<String, String> metadata(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, text);
            Map<String, String> metadata = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                metadata.put(key, string(parser, parser.nextToken(), text));
            }
            return Collections.unmodifiableMap(metadata);
        } catch (IOException e) {
            throw new IllegalStateException("stored batch metadata is not a JSON object: " + text, e);
        }
    }

    /** The errors as a JSON array. */
    static String errors(List<BatchError> errors) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (BatchError error : errors) {
                json.writeStartObject();
                json.writeStringField("code", error.code());
                json.writeStringField("message", error.message());
                json.writeStringField("param", error.param());
                json.writeFieldName("line");
                if (error.line() == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(error.line());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    /** The errors read back, in stored order; fields this version does not know are skipped. */
    static List<BatchError> errors(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            expect(parser.nextToken(), JsonToken.START_ARRAY, text);
            List<BatchError> errors = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                expect(token, JsonToken.START_OBJECT, text);
                @Nullable String code = null;
                @Nullable String message = null;
                @Nullable String param = null;
                @Nullable Integer line = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (field) {
                        case "code" -> code = string(parser, value, text);
                        case "message" -> message = string(parser, value, text);
                        case "param" -> param = string(parser, value, text);
                        case "line" -> line = value == JsonToken.VALUE_NULL ? null : parser.getIntValue();
                        default -> parser.skipChildren();
                    }
                }
                errors.add(new BatchError(code, message, param, line));
            }
            return errors;
        } catch (IOException e) {
            throw new IllegalStateException("stored batch errors are not a JSON array: " + text, e);
        }
    }

    private static @Nullable String string(JsonParser parser, JsonToken token, String text) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.VALUE_STRING, text);
        return parser.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, String text) {
        if (actual != expected) {
            throw new IllegalStateException("stored batch JSON: expected " + expected + ", found " + actual + ": " + text);
        }
    }
}
