package dev.sluice.providers.http;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;

class FinalEventTest {

    private static final SseEvent CHUNK = SseEvent.data("{\"n\":1}");
    private static final SseEvent DONE = SseEvent.data(SseEvent.DONE);

    @Test
    void completesAfterTheFinalEvent() {
        StepVerifier.create(FinalEvent.require(Flux.just(CHUNK, DONE), SseEvent::isDone, "p"))
                .expectNext(CHUNK, DONE)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void failsWhenTheStreamEndsWithoutTheFinalEvent() {
        StepVerifier.create(FinalEvent.require(Flux.just(CHUNK), SseEvent::isDone, "p"))
                .expectNext(CHUNK)
                .expectErrorSatisfies(error -> org.assertj.core.api.Assertions.assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("stream from provider 'p' ended before its final event"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void treatsAConnectionDroppedMidStreamAsAStreamCutShort() {
        Flux<SseEvent> dropped = Flux.just(CHUNK).concatWith(Flux.error(unavailable()));

        StepVerifier.create(FinalEvent.require(dropped, SseEvent::isDone, "p"))
                .expectNext(CHUNK)
                .expectError(UpstreamProtocolException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void keepsUnavailableWhenNothingArrived() {
        StepVerifier.create(FinalEvent.require(Flux.error(unavailable()), SseEvent::isDone, "p"))
                .expectError(UpstreamUnavailableException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void completesWhenTheConnectionDropsAfterTheFinalEvent() {
        Flux<SseEvent> dropped = Flux.just(CHUNK, DONE).concatWith(Flux.error(unavailable()));

        StepVerifier.create(FinalEvent.require(dropped, SseEvent::isDone, "p"))
                .expectNext(CHUNK, DONE)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    private static UpstreamUnavailableException unavailable() {
        return new UpstreamUnavailableException("p", "closed", new IOException("closed"));
    }
}
