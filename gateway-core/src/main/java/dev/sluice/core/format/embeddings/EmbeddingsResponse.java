package dev.sluice.core.format.embeddings;

import java.util.List;

/**
 * An embeddings answer in canonical form: one float32 vector per input, in the order of the inputs.
 *
 * @param model       the model that answered, or {@code null} when the provider's format does not say
 * @param vectors     the vectors; the arrays are shared, not copied
 * @param inputTokens the tokens the inputs counted, 0 when the provider does not say
 */
public record EmbeddingsResponse(String model, List<float[]> vectors, long inputTokens) {

    public EmbeddingsResponse {
        vectors = List.copyOf(vectors);
    }

    /** The same answer naming {@code otherModel}. */
    public EmbeddingsResponse withModel(String otherModel) {
        return new EmbeddingsResponse(otherModel, vectors, inputTokens);
    }
}
