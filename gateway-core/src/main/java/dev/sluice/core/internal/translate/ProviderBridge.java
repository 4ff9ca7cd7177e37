package dev.sluice.core.internal.translate;

import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.Operation;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.time.Clock;

/**
 * How a caller's request reaches a provider and its answer comes back: forwarded as is when both speak the same wire
 * format (the fast path), translated through the canonical model when they do not.
 */
public interface ProviderBridge {

    /** The operation the provider is asked for: the caller's, or its counterpart in the provider's API. */
    Operation operation();

    /**
     * The request body for the provider, with the provider's own model name; {@code askUsage} asks an OpenAI stream
     * to end with its usage.
     */
    byte[] request(RequestBody body, String model, boolean askUsage);

    /** The provider's unary answer, in the caller's format. */
    byte[] answer(byte[] providerBody);

    /** The provider's stream, in the caller's format. */
    Flux<SseEvent> events(Flux<SseEvent> providerEvents);

    /** A provider's failure as the caller should see it: its error body is only passed on in its own format. */
    default Throwable error(Throwable providerError) {
        return providerError;
    }

    /**
     * The bridge from a caller speaking {@code callerFormat} to a provider speaking {@code providerFormat}, for
     * {@code operation}; {@code null} when the request cannot be expressed in the provider's format. Take a new one
     * for each call: a translation may remember the request to shape its answer.
     */
    static ProviderBridge between(WireFormat callerFormat, Operation operation, WireFormat providerFormat, Clock clock) {
        if (callerFormat == providerFormat) {
            return new FastPath(callerFormat, operation);
        }
        if (operation == Operation.EMBEDDINGS) {
            EmbeddingsCodec caller = EmbeddingsCodec.of(callerFormat);
            EmbeddingsCodec provider = EmbeddingsCodec.of(providerFormat);
            return caller != null && provider != null ? new EmbeddingsTranslation(caller, provider, providerFormat) : null;
        }
        ChatCodec caller = ChatCodec.of(callerFormat, operation, clock);
        ChatCodec provider = ChatCodec.of(providerFormat, Operation.CHAT_COMPLETIONS, clock);
        if (caller != null && provider != null) {
            return new ChatTranslation(caller, provider);
        }
        return null;
    }

    /** Same format on both sides: only the model changes, every other byte passes through. */
    record FastPath(WireFormat format, Operation operation) implements ProviderBridge {

        @Override
        public byte[] request(RequestBody body, String model, boolean askUsage) {
            return switch (format) {
                case OPENAI -> body.forUpstream(model, askUsage);
                case ANTHROPIC -> body.withModel(model);
                // Gemini names the model in the URL, never in the body.
                case GEMINI -> body.forwarded();
            };
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
