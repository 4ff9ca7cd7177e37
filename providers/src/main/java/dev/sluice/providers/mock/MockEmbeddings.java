package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.InvalidRequestException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Embeddings that are the same for the same input on every run and machine: unit vectors seeded by a hash
 * of the input, so similarity searches in demos give stable answers.
 */
final class MockEmbeddings {

    static final int DEFAULT_DIMENSIONS = 16;
    private static final int MAX_DIMENSIONS = 8192;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MockEmbeddings() {
    }

    static ObjectNode answer(JsonNode request, String model) {
        int dimensions = dimensions(request.path("dimensions"));
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        List<Input> inputs = inputs(request.path("input"));
        ObjectNode answer = JSON.objectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i).seed(), dimensions);
            ObjectNode embedding = JSON.objectNode().put("object", "embedding").put("index", i);
            if (base64) {
                embedding.put("embedding", base64(vector));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
            data.add(embedding);
            tokens += inputs.get(i).tokens();
        }
        answer.put("model", model);
        answer.set("usage", JSON.objectNode().put("prompt_tokens", tokens).put("total_tokens", tokens));
        return answer;
    }

    /** One thing to embed: the bytes its vector is seeded from and the tokens it counts for. */
    private record Input(byte[] seed, int tokens) {

        static Input text(String text) {
            return new Input(("text:" + text).getBytes(StandardCharsets.UTF_8), MockTokens.count(text));
        }

        static Input tokens(JsonNode ids) {
            StringBuilder seed = new StringBuilder("tokens:");
            for (JsonNode id : ids) {
                if (!id.isIntegralNumber()) {
                    throw invalidInput();
                }
                seed.append(id.asLong()).append(',');
            }
            return new Input(seed.toString().getBytes(StandardCharsets.UTF_8), ids.size());
        }
    }

    private static List<Input> inputs(JsonNode input) {
        if (input.isTextual()) {
            return List.of(Input.text(input.asText()));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw invalidInput();
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of(Input.tokens(input));
        }
        List<Input> inputs = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (item.isTextual()) {
                inputs.add(Input.text(item.asText()));
            } else if (item.isArray()) {
                inputs.add(Input.tokens(item));
            } else {
                throw invalidInput();
            }
        }
        return inputs;
    }

    private static int dimensions(JsonNode dimensions) {
        if (dimensions.isMissingNode() || dimensions.isNull()) {
            return DEFAULT_DIMENSIONS;
        }
        if (!dimensions.isIntegralNumber() || dimensions.asLong() < 1 || dimensions.asLong() > MAX_DIMENSIONS) {
            throw new InvalidRequestException("dimensions: " + dimensions + " (expected: a whole number from 1 to " + MAX_DIMENSIONS + ")", "dimensions");
        }
        return dimensions.asInt();
    }

    private static InvalidRequestException invalidInput() {
        return new InvalidRequestException(
                "input: expected a string, an array of strings, an array of token ids or an array of token id arrays", "input");
    }

    static float[] vector(byte[] seed, int dimensions) {
        long state = fnv1a(seed);
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            state += 0x9E3779B97F4A7C15L;
            // 24 random bits to a float in [-1, 1), which it represents exactly.
            vector[i] = (mix(state) >>> 40) / (float) (1 << 23) - 1f;
            norm += (double) vector[i] * vector[i];
        }
        if (norm == 0) {
            vector[0] = 1f;
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static long fnv1a(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    // SplitMix64's finaliser: spreads the consecutive states into independent-looking bits.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
