package dev.sluice.core.provider;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's stream is held to its format's rules by the engine, whatever its adapter sends. */
class StreamRulesTest {

    private static final SseEvent CHUNK = SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");
    private static final SseEvent DONE = SseEvent.data(SseEvent.DONE);

    @Test
    void completesAfterTheFinalEvent() {
        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, Flux.just(CHUNK, DONE)))
                .expectNext(CHUNK, DONE)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void failsWhenTheStreamEndsWithoutTheFinalEvent() {
        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, Flux.just(CHUNK)))
                .expectNext(CHUNK)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("stream from provider 'p' ended before its final event"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void treatsAConnectionDroppedMidStreamAsAStreamCutShort() {
        Flux<SseEvent> dropped = Flux.just(CHUNK).concatWith(Flux.error(unavailable()));

        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, dropped))
                .expectNext(CHUNK)
                .expectError(UpstreamProtocolException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void keepsUnavailableWhenNothingArrived() {
        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, Flux.error(unavailable())))
                .expectError(UpstreamUnavailableException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void completesWhenTheConnectionDropsAfterTheFinalEvent() {
        Flux<SseEvent> dropped = Flux.just(CHUNK, DONE).concatWith(Flux.error(unavailable()));

        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, dropped))
                .expectNext(CHUNK, DONE)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void failsOnAnErrorReportedInsideAChatStreamWithItsOwnStatusAndBody() {
        SseEvent error = SseEvent.data("{\"error\":{\"code\":429,\"message\":\"slow down\"}}");

        StepVerifier.create(stream(GeminiFormat.GEMINI, Operation.CHAT_COMPLETIONS, Flux.just(error)))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(UpstreamStatusException.class);
                    assertThat(((UpstreamStatusException) failure).status()).isEqualTo(429);
                    assertThat(((UpstreamStatusException) failure).provider()).isEqualTo("p");
                    assertThat(((UpstreamStatusException) failure).body()).asString().isEqualTo(error.data());
                })
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void relaysTheResponsesApisOwnErrorEvents() {
        SseEvent error = SseEvent.named("error", "{\"type\":\"error\",\"error\":{\"message\":\"no\"}}");

        StepVerifier.create(stream(OpenAiFormat.OPENAI, Operation.RESPONSES, Flux.just(error)))
                .expectNext(error)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void stopsAtAnEventAfterWhichTheProviderSendsNothing() {
        SseEvent error = SseEvent.named("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}");

        StepVerifier.create(stream(AnthropicFormat.ANTHROPIC, Operation.CHAT_COMPLETIONS, Flux.just(error).concatWith(Flux.never())))
                .expectNext(error)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    private static Flux<SseEvent> stream(WireFormat format, Operation operation, Flux<SseEvent> sent) {
        ProviderAdapter adapter = new ProviderAdapter() {
            @Override
            public Mono<byte[]> call(ProviderCall call) {
                return Mono.error(new UnsupportedOperationException());
            }

            @Override
            public Flux<SseEvent> stream(ProviderCall call) {
                return sent;
            }

            @Override
            public WireFormat format() {
                return format;
            }
        };
        return StreamRules.around(adapter, "p").stream(new ProviderCall(operation, "m", new byte[0], null));
    }

    private static UpstreamUnavailableException unavailable() {
        return new UpstreamUnavailableException("p", "closed", new IOException("closed"));
    }
}
