package dev.sluice.core.translate;

import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.Operation;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.time.Clock;

/**
 * How an OpenAI-format request reaches a provider and its answer comes back: forwarded as is when the provider
 * speaks OpenAI's format too (the fast path), translated through the canonical model when it does not.
 */
public interface ProviderBridge {

    /** The request body for the provider, with the provider's own model name. */
    byte[] request(RequestBody body, String model, boolean askUsage);

    /** The provider's unary answer, in the caller's format. */
    byte[] answer(byte[] providerBody);

    /** The provider's stream, in the caller's format. */
    Flux<SseEvent> events(Flux<SseEvent> providerEvents);

    /**
     * The bridge for a provider of {@code format} serving {@code operation}, or {@code null} when a request in
     * OpenAI's format cannot be translated to it (yet).
     */
    static ProviderBridge fromOpenAi(WireFormat format, Operation operation, Clock clock) {
        return switch (format) {
            case OPENAI -> FastPath.INSTANCE;
            case ANTHROPIC -> operation == Operation.CHAT_COMPLETIONS ? new OpenAiToAnthropicChat(clock) : null;
            case GEMINI -> operation == Operation.CHAT_COMPLETIONS ? new OpenAiToGeminiChat(clock) : null;
        };
    }

    /** Same format on both sides: only the model changes, every other byte passes through. */
    final class FastPath implements ProviderBridge {

        static final FastPath INSTANCE = new FastPath();

        private FastPath() {
        }

        @Override
        public byte[] request(RequestBody body, String model, boolean askUsage) {
            return body.forUpstream(model, askUsage);
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
