package dev.sluice.core.format.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.EmbeddingsCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.embeddings.EmbeddingsRequest;
import dev.sluice.core.format.embeddings.EmbeddingsResponse;
import dev.sluice.core.format.embeddings.Vectors;
import dev.sluice.core.format.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI {@code /v1/embeddings} bodies to and from the canonical embeddings model. Inputs given as token arrays are
 * the tokens of OpenAI's own tokenizer, meaningless to another provider, so they are refused; {@code user} is dropped.
 * Vectors are read and written as float32, which is what OpenAI's models produce and its base64 form carries.
 */
public final class OpenAiEmbeddingsCodec implements EmbeddingsCodec {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public EmbeddingsRequest decodeRequest(RequestBody body) {
        Map<String, Object> json = Json.parseObject(body.bytes(), "body");
        Object input = json.get("input");
        List<String> inputs = new ArrayList<>();
        boolean single = input instanceof String;
        if (input instanceof String text) {
            inputs.add(text);
        } else if (input instanceof List<?> list && !list.isEmpty()) {
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new InvalidRequestException("Token arrays cannot be translated to another provider's"
                            + " tokenizer; send 'input' as a string or an array of strings", "input");
                }
                inputs.add(text);
            }
        } else {
            throw new InvalidRequestException("'input' must be a string or a non-empty array of strings", "input");
        }
        Integer dimensions = Json.integer(json, "dimensions", "dimensions");
        if (dimensions != null && dimensions < 1) {
            throw new InvalidRequestException("'dimensions' must be at least 1", "dimensions");
        }
        String format = Json.string(json, "encoding_format", "encoding_format");
        EmbeddingsRequest.Encoding encoding = switch (format == null ? "float" : format) {
            case "float" -> EmbeddingsRequest.Encoding.FLOAT;
            case "base64" -> EmbeddingsRequest.Encoding.BASE64;
            default -> throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64'", "encoding_format");
        };
        return new EmbeddingsRequest(body.model(), inputs, dimensions, single, encoding);
    }

    /** Asks for floats, the default, so that any OpenAI-compatible server can answer. */
    @Override
    public byte[] encodeRequest(EmbeddingsRequest request) {
        return Json.writeBytes(Json.object("model", request.model(),
                "input", request.single() ? request.inputs().getFirst() : request.inputs(),
                "dimensions", request.dimensions()));
    }

    /** Reads {@code data} in {@code index} order, each embedding as numbers or as base64. */
    @Override
    public EmbeddingsResponse decodeResponse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "body");
            TreeMap<Integer, float[]> vectors = new TreeMap<>();
            String model = null;
            long inputTokens = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "data" -> {
                        expect(parser, value, JsonToken.START_ARRAY, "data");
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            embedding(parser, vectors);
                        }
                    }
                    case "model" -> model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "usage" -> inputTokens = value == JsonToken.START_OBJECT ? promptTokens(parser) : 0;
                    default -> parser.skipChildren();
                }
            }
            return new EmbeddingsResponse(model, new ArrayList<>(vectors.values()), inputTokens);
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadableAnswerException("unreadable embeddings answer: " + e.getMessage());
        }
    }

    private static void embedding(JsonParser parser, Map<Integer, float[]> vectors) throws IOException {
        Integer index = null;
        float[] vector = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
                index = parser.getIntValue();
            } else if (field.equals("embedding") && value == JsonToken.START_ARRAY) {
                vector = Vectors.read(parser);
            } else if (field.equals("embedding") && value == JsonToken.VALUE_STRING) {
                vector = Vectors.fromBase64(parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        if (vector == null) {
            throw new IllegalArgumentException("an item of 'data' has no embedding");
        }
        vectors.put(index == null ? vectors.size() : index, vector);
    }

    private static long promptTokens(JsonParser parser) throws IOException {
        long tokens = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("prompt_tokens") && value == JsonToken.VALUE_NUMBER_INT) {
                tokens = parser.getLongValue();
            } else {
                parser.skipChildren();
            }
        }
        return tokens;
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new IllegalArgumentException("'" + what + "' is " + actual + ", not " + expected + " at " + parser.currentLocation());
        }
    }

    /** Writes the {@code list} object, vectors as numbers or base64 as the caller asked. */
    @Override
    public byte[] encodeResponse(EmbeddingsResponse response, EmbeddingsRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int i = 0; i < response.vectors().size(); i++) {
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeNumberField("index", i);
                json.writeFieldName("embedding");
                if (request.encoding() == EmbeddingsRequest.Encoding.BASE64) {
                    json.writeString(Vectors.toBase64(response.vectors().get(i)));
                } else {
                    Vectors.write(json, response.vectors().get(i));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", response.model());
            json.writeObjectFieldStart("usage");
            json.writeNumberField("prompt_tokens", response.inputTokens());
            json.writeNumberField("total_tokens", response.inputTokens());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
