package dev.sluice.core.format;

import dev.sluice.core.format.embeddings.EmbeddingsRequest;
import dev.sluice.core.format.embeddings.EmbeddingsResponse;

/**
 * One wire format's embeddings shapes to and from the canonical embeddings model. A caller's request that cannot be
 * expressed is refused with an {@link dev.sluice.core.error.InvalidRequestException} naming the field; a provider's
 * malformed answer is a {@link dev.sluice.core.error.UpstreamProtocolException}.
 */
public interface EmbeddingsCodec {

    /** Decodes a caller's request, noting how the caller wants its answer shaped. */
    EmbeddingsRequest decodeRequest(RequestBody body);

    byte[] encodeRequest(EmbeddingsRequest request);

    EmbeddingsResponse decodeResponse(byte[] body);

    /** Encodes an answer in the shape {@code request}, as decoded from the caller, asked for. */
    byte[] encodeResponse(EmbeddingsResponse response, EmbeddingsRequest request);
}
