package dev.sluice.core.provider;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Talks to one provider in its own wire format. Errors are signalled as
 * {@link dev.sluice.core.error.ProviderException}s; cancelling a subscription cancels the upstream call.
 */
public interface ProviderAdapter {

    /** Sends a unary call and emits the response body of a 2xx answer. */
    Mono<byte[]> call(ProviderCall call);

    /**
     * Sends a streaming call and emits its events as they arrive, as the provider sent them. The engine holds them to
     * the rules of the adapter's format ({@link StreamRules}): where they must end, and which carry errors.
     */
    Flux<SseEvent> stream(ProviderCall call);

    /**
     * The wire format this adapter's calls and answers are in: the bodies of {@link ProviderCall}s it receives,
     * and the bodies and events it emits.
     */
    default WireFormat format() {
        return OpenAiFormat.OPENAI;
    }

    /** Whether this provider serves the operation at all. */
    default boolean supports(Operation operation) {
        return true;
    }

    /** The connections this adapter holds to its provider, for metrics; empty when it holds none (the mock). */
    default Optional<ConnectionPoolStats> connectionPool() {
        return Optional.empty();
    }

    /** Releases connection pools and timers; called once when the gateway shuts down. */
    default Mono<Void> close() {
        return Mono.empty();
    }
}
