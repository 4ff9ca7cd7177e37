package dev.sluice.core.internal.translate;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.format.EmbeddingsCodec;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.embeddings.EmbeddingsRequest;
import dev.sluice.core.format.embeddings.EmbeddingsResponse;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;


/**
 * Embeddings in one wire format served by a provider speaking another, through the canonical embeddings model. One
 * bridge serves one call: the answer's shape (one vector or a list, numbers or base64) is the caller's request's, so
 * {@link #request} remembers it for {@link #answer}.
 */
final class EmbeddingsTranslation implements ProviderBridge {

    private final EmbeddingsCodec caller;
    private final EmbeddingsCodec upstream;
    private final String provider;
    private volatile EmbeddingsRequest sent;
    private volatile EmbeddingsRequest asked;

    EmbeddingsTranslation(EmbeddingsCodec caller, EmbeddingsCodec upstream, String provider) {
        this.caller = caller;
        this.upstream = upstream;
        this.provider = provider;
    }

    @Override
    public Operation operation() {
        return Operation.EMBEDDINGS;
    }

    @Override
    public byte[] request(RequestBody body, String model, boolean stream) {
        EmbeddingsRequest decoded = caller.decodeRequest(body);
        EmbeddingsRequest forProvider = decoded.withModel(model);
        byte[] encoded = upstream.encodeRequest(forProvider);
        asked = decoded;
        sent = forProvider;
        return encoded;
    }

    @Override
    public byte[] answer(byte[] providerBody) {
        EmbeddingsRequest request = asked;
        if (request == null) {
            throw new IllegalStateException("an embeddings answer came before its request was translated");
        }
        EmbeddingsResponse response = Unreadable.fromProvider(provider, () -> upstream.decodeResponse(providerBody));
        if (response.vectors().size() != request.inputs().size()) {
            throw new UpstreamProtocolException(provider, request.inputs().size() + " texts were sent for embedding, "
                    + response.vectors().size() + " vectors came back");
        }
        // Gemini's answer does not name its model; the one it was asked for did the work.
        return caller.encodeResponse(response.model() == null ? response.withModel(sent.model()) : response, request);
    }

    @Override
    public Flux<SseEvent> events(Flux<SseEvent> providerEvents) {
        return Flux.error(new InvalidRequestException(Operation.EMBEDDINGS.path() + " cannot be streamed.", "stream"));
    }

    @Override
    public Throwable error(Throwable providerError) {
        return providerError instanceof UpstreamStatusException status ? status.withoutBody() : providerError;
    }
}
