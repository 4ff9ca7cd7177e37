package dev.sluice.core.format;

import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Everything the gateway knows about one wire format: the request and response shapes a caller's route speaks and a
 * provider speaks natively. One package per format implements it ({@code format.openai}, {@code format.anthropic},
 * {@code format.gemini}); nothing else switches on the format. A format is stateless and is compared by identity;
 * a new one is its package plus one registration ({@code Gateway.Builder#format}).
 */
public interface WireFormat {

    /** The format's name, lower case: in stored job types ({@code anthropic:chat/completions}) and messages. */
    String name();

    /**
     * The path prefix of the integration routes that speak this format ({@code /anthropic}): a request there is
     * answered, and fails, in this format.
     */
    String routePrefix();

    // ---- translation through the canonical model

    /** This format's chat shapes for requests of {@code operation}; empty when the operation is not a chat here. */
    Optional<ChatCodec> chat(Operation operation, Clock clock);

    /** This format's embeddings shapes; empty when the format has no embeddings. */
    Optional<EmbeddingsCodec> embeddings();

    // ---- the fast path: caller and provider speak this format

    /**
     * The caller's body as a provider speaking this same format takes it: only the model changes, every other byte
     * passes through, and a stream asks for its usage where the format must be asked.
     */
    byte[] forward(Operation operation, RequestBody body, String model, boolean stream);

    /** The events of a forwarded stream that only the gateway asked for (its usage), hidden from a caller that did not. */
    default Predicate<SseEvent> addedEvents(Operation operation, RequestBody body) {
        return event -> false;
    }

    // ---- usage, read from answers in this format

    /** The usage a unary answer reports; {@link TokenCounts#NONE} when it reports none. */
    TokenCounts usage(byte[] answer);

    /** The usage a stream event reports, possibly in part ({@link TokenCounts#merge}); empty for most events. */
    Optional<TokenCounts> usage(SseEvent event);

    /** Characters of generated text in a stream event, to estimate the output of a stream cut short. */
    long generatedChars(SseEvent event);

    // ---- how a provider's stream ends

    /** Whether the event ends a stream of {@code operation}: the answer is whole, or the provider gave up in-band. */
    boolean endsStream(Operation operation, SseEvent event);

    /** Whether the provider sends nothing after this event, so the stream stops there even if the connection stays. */
    default boolean closesStream(SseEvent event) {
        return false;
    }

    /**
     * The HTTP status of an error that a provider reports inside a 200 stream of {@code operation} and that must fail
     * the stream, never be relayed as an answer; empty for any other event.
     */
    default OptionalInt streamError(Operation operation, SseEvent event) {
        return OptionalInt.empty();
    }

    // ---- errors, in this format's envelope

    /** A new error body in this format describing the failure. */
    byte[] envelope(GatewayException failure);

    /** The in-band stream event that carries an error body, once a stream's first event has gone to the caller. */
    SseEvent errorEvent(String envelope);

    /**
     * The body to answer a failure with: the provider's own envelope when it sent one (which is only kept when the
     * provider speaks the caller's format), else a new one.
     */
    default byte[] errorBody(GatewayException failure) {
        if (failure instanceof UpstreamStatusException upstream && ErrorEnvelope.isEnvelope(upstream.body())) {
            return upstream.body();
        }
        return envelope(failure);
    }
}
