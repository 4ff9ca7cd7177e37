package dev.sluice.core.format.embeddings;

import java.util.List;
import java.util.Objects;

/**
 * An embeddings request in canonical form: texts to embed, one vector each, and how the caller wants them back.
 *
 * @param model      the model, the caller's name for it until the bridge puts in the provider's
 * @param inputs     the texts, at least one
 * @param dimensions how many dimensions each vector should have, or {@code null} for the model's own
 * @param single     whether the caller sent one text on its own rather than a list (a Gemini caller gets one
 *                   {@code embedding} back instead of a list of {@code embeddings})
 * @param encoding   how the caller wants vectors written (only OpenAI callers can ask for base64)
 */
public record EmbeddingsRequest(String model, List<String> inputs, Integer dimensions, boolean single, Encoding encoding) {

    /** How vectors are written in the answer. */
    public enum Encoding {
        /** A JSON array of numbers. */
        FLOAT,
        /** The float32 values, little-endian, packed and base64-encoded: a quarter of the size of the JSON. */
        BASE64
    }

    public EmbeddingsRequest {
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("an embeddings request needs at least one input");
        }
        if (single && inputs.size() != 1) {
            throw new IllegalArgumentException("a single input request has exactly one input, not " + inputs.size());
        }
        encoding = encoding == null ? Encoding.FLOAT : encoding;
    }

    /** The same request for another model: the provider's own name for the one the caller asked for. */
    public EmbeddingsRequest withModel(String otherModel) {
        return new EmbeddingsRequest(otherModel, inputs, dimensions, single, encoding);
    }
}
