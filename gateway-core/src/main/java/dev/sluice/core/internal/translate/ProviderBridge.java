package dev.sluice.core.internal.translate;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.EmbeddingsCodec;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.util.Optional;

/**
 * How a caller's request reaches a provider and its answer comes back: forwarded as is when both speak the same wire
 * format (the fast path), translated through the canonical model when they do not.
 */
public interface ProviderBridge {

    /** The operation the provider is asked for: the caller's, or its counterpart in the provider's API. */
    Operation operation();

    /** The request body for the provider, with the provider's own model name; {@code stream} for a streamed call. */
    byte[] request(RequestBody body, String model, boolean stream);

    /** The provider's unary answer, in the caller's format. */
    byte[] answer(byte[] providerBody);

    /** The provider's stream, in the caller's format. */
    Flux<SseEvent> events(Flux<SseEvent> providerEvents);

    /** A provider's failure as the caller should see it: its error body is only passed on in its own format. */
    default Throwable error(Throwable providerError) {
        return providerError;
    }

    /**
     * The bridge from a caller speaking {@code callerFormat} to {@code provider}, which speaks {@code providerFormat},
     * for {@code operation}; empty when the request cannot be expressed in the provider's format. Take a new one for
     * each call: a translation may remember the request to shape its answer.
     */
    static Optional<ProviderBridge> between(WireFormat callerFormat, Operation operation, WireFormat providerFormat,
                                            String provider, Clock clock) {
        if (callerFormat == providerFormat) {
            return Optional.of(new FastPath(callerFormat, operation));
        }
        if (operation == Operation.EMBEDDINGS) {
            Optional<EmbeddingsCodec> caller = callerFormat.embeddings();
            Optional<EmbeddingsCodec> upstream = providerFormat.embeddings();
            return caller.isPresent() && upstream.isPresent()
                    ? Optional.of(new EmbeddingsTranslation(caller.get(), upstream.get(), provider)) : Optional.empty();
        }
        Optional<ChatCodec> caller = callerFormat.chat(operation, clock);
        Optional<ChatCodec> upstream = providerFormat.chat(Operation.CHAT_COMPLETIONS, clock);
        return caller.isPresent() && upstream.isPresent()
                ? Optional.of(new ChatTranslation(caller.get(), upstream.get(), provider)) : Optional.empty();
    }

    /** Same format on both sides: only the model changes, every other byte passes through. */
    record FastPath(WireFormat format, Operation operation) implements ProviderBridge {

        @Override
        public byte[] request(RequestBody body, String model, boolean stream) {
            return format.forward(operation, body, model, stream);
        }

        @Override
        public byte[] answer(byte[] providerBody) {
            return providerBody;
        }

        @Override
        public Flux<SseEvent> events(Flux<SseEvent> providerEvents) {
            return providerEvents;
        }
    }
}
