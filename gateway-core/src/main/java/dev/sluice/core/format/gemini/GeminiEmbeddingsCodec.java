package dev.sluice.core.format.gemini;

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
import java.util.Objects;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * Gemini {@code embedContent} and {@code batchEmbedContents} bodies to and from the canonical embeddings model. Which
 * of the two a caller used is told from the body (a {@code requests} array is a batch), and the answer takes the same
 * shape. Requests to Gemini always go out as a batch, which serves one text as well as many. {@code taskType} and
 * {@code title} tune Gemini's own models and mean nothing to another provider's, so they are dropped; each content
 * must be one text part, since other providers embed texts, not Gemini's multi-part contents.
 */
public final class GeminiEmbeddingsCodec implements EmbeddingsCodec {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Decodes either request; the model is the one the URL named, {@code models/} prefix or not. */
    @Override
    public EmbeddingsRequest decodeRequest(RequestBody body) {
        Map<String, Object> json = Json.parseObject(body.bytes(), "body");
        String model = body.model().startsWith("models/") ? body.model().substring("models/".length()) : body.model();
        if (!json.containsKey("requests")) {
            return new EmbeddingsRequest(model, List.of(text(json, "")),
                    dimensions(json, "outputDimensionality"), true, EmbeddingsRequest.Encoding.FLOAT);
        }
        List<Object> requests = array(json, "requests", "requests");
        if (requests.isEmpty()) {
            throw new InvalidRequestException("'requests' must hold at least one request", "requests");
        }
        List<String> inputs = new ArrayList<>();
        Integer dimensions = null;
        for (int i = 0; i < requests.size(); i++) {
            String at = "requests[" + i + "]";
            Map<String, Object> request = asObject(requests.get(i), at);
            inputs.add(text(request, at + "."));
            Integer these = dimensions(request, at + ".outputDimensionality");
            // One canonical request has one size for all its vectors.
            if (i > 0 && !Objects.equals(these, dimensions)) {
                throw new InvalidRequestException("Every request of a batch must ask for the same outputDimensionality"
                        + " to be translated to another provider", at + ".outputDimensionality");
            }
            dimensions = these;
        }
        return new EmbeddingsRequest(model, inputs, dimensions, false, EmbeddingsRequest.Encoding.FLOAT);
    }

    private static String text(Map<String, Object> request, String prefix) {
        Map<String, Object> content = object(request, "content", prefix + "content");
        List<Object> parts = content == null ? List.of() : array(content, "parts", prefix + "content.parts");
        if (parts.size() != 1) {
            throw new InvalidRequestException("'" + prefix + "content.parts' must be exactly one text part to be"
                    + " translated to another provider", prefix + "content.parts");
        }
        String text = string(asObject(parts.getFirst(), prefix + "content.parts[0]"), "text", prefix + "content.parts[0].text");
        if (text == null) {
            throw new InvalidRequestException("Only text can be embedded by another provider",
                    prefix + "content.parts[0]");
        }
        return text;
    }

    private static Integer dimensions(Map<String, Object> request, String at) {
        Integer dimensions = Json.integer(request, "outputDimensionality", at);
        if (dimensions != null && dimensions < 1) {
            throw new InvalidRequestException("'" + at + "' must be at least 1", at);
        }
        return dimensions;
    }

    /** A {@code batchEmbedContents} body; each request names the model, as Gemini requires it to match the URL's. */
    @Override
    public byte[] encodeRequest(EmbeddingsRequest request) {
        List<Object> requests = new ArrayList<>(request.inputs().size());
        for (String input : request.inputs()) {
            requests.add(object("model", "models/" + request.model(),
                    "content", object("parts", List.of(object("text", input))),
                    "outputDimensionality", request.dimensions()));
        }
        return Json.writeBytes(object("requests", requests));
    }

    /** Reads {@code embedding} or {@code embeddings}; Gemini reports no usage for embeddings, so it counts 0. */
    @Override
    public EmbeddingsResponse decodeResponse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            List<float[]> vectors = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("embedding") && value == JsonToken.START_OBJECT) {
                    vectors.add(values(parser));
                } else if (field.equals("embeddings") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        vectors.add(values(parser));
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (vectors.isEmpty()) {
                throw new IllegalArgumentException("no 'embedding' or 'embeddings'");
            }
            return new EmbeddingsResponse(null, vectors, 0);
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadableAnswerException("unreadable embeddings answer: " + e.getMessage());
        }
    }

    /** Reads a {@code ContentEmbedding} object whose START_OBJECT was just read. */
    private static float[] values(JsonParser parser) throws IOException {
        float[] vector = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("values")) {
                vector = Vectors.read(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (vector == null) {
            throw new IllegalArgumentException("an embedding has no 'values'");
        }
        return vector;
    }

    /** {@code {"embedding": ...}} for a caller of {@code embedContent}, {@code {"embeddings": [...]}} for a batch. */
    @Override
    public byte[] encodeResponse(EmbeddingsResponse response, EmbeddingsRequest request) {
        if (request.single() && response.vectors().size() != 1) {
            throw new UnreadableAnswerException("one text was sent for embedding, "
                    + response.vectors().size() + " vectors came back");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (request.single()) {
                json.writeFieldName("embedding");
                embedding(json, response.vectors().getFirst());
            } else {
                json.writeArrayFieldStart("embeddings");
                for (float[] vector : response.vectors()) {
                    embedding(json, vector);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void embedding(JsonGenerator json, float[] vector) throws IOException {
        json.writeStartObject();
        json.writeFieldName("values");
        Vectors.write(json, vector);
        json.writeEndObject();
    }
}
