package dev.sluice.core.internal.governance;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MeteredStreamTest {

    private static final byte[] BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"twelve chars\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final SseEvent HELLO = delta("Hello, ");
    private static final SseEvent WORLD = delta("world!!!");
    private static final SseEvent USAGE = SseEvent.data(
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":22,\"total_tokens\":33}}");

    private final List<TokenCounts> charged = new CopyOnWriteArrayList<>();
    private final AtomicInteger released = new AtomicInteger();

    private static SseEvent delta(String text) {
        return SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}");
    }

    private Flux<SseEvent> metered(Flux<SseEvent> events) {
        return metered(OpenAiFormat.OPENAI, events);
    }

    private Flux<SseEvent> metered(WireFormat format, Flux<SseEvent> events) {
        return MeteredStream.meter(events, format, format.addedEvents(Operation.CHAT_COMPLETIONS, RequestBody.parse(BODY)), BODY, tokens -> Mono.fromRunnable(() -> charged.add(tokens)),
                released::incrementAndGet);
    }

    @Test
    void aCompletedStreamIsChargedItsReportedUsageAndHidesTheUsageChunk() {
        StepVerifier.create(metered(Flux.just(HELLO, WORLD, USAGE)))
                .expectNext(HELLO, WORLD)
                .verifyComplete();

        assertThat(charged).containsExactly(new TokenCounts(11, 22));
        assertThat(released).hasValue(0);
    }

    @Test
    void aCompletedStreamWithoutUsageIsChargedTheEstimate() {
        StepVerifier.create(metered(Flux.just(HELLO, WORLD))).expectNextCount(2).verifyComplete();

        // "twelve chars" is 3 tokens; "Hello, world!!!" 15 characters, 4 tokens.
        assertThat(charged).containsExactly(new TokenCounts(3, 4));
    }

    @Test
    void aCancelledStreamIsChargedOnceForWhatItStreamed() {
        StepVerifier.create(metered(Flux.concat(Flux.just(HELLO, WORLD), Flux.never())))
                .expectNext(HELLO, WORLD)
                .thenCancel()
                .verify(Duration.ofSeconds(5));

        assertThat(charged).containsExactly(new TokenCounts(3, 4));
    }

    @Test
    void aStreamThatFailsMidwayIsChargedAndStillFails() {
        StepVerifier.create(metered(Flux.concat(Flux.just(HELLO), Flux.error(new IOException("cut")))))
                .expectNext(HELLO)
                .expectErrorMessage("cut")
                .verify(Duration.ofSeconds(5));

        assertThat(charged).containsExactly(new TokenCounts(3, 2));
        assertThat(released).hasValue(0);
    }

    @Test
    void aStreamThatFailsBeforeItsFirstEventReleasesItsReservationInstead() {
        StepVerifier.create(metered(Flux.error(new IOException("refused"))))
                .expectErrorMessage("refused")
                .verify(Duration.ofSeconds(5));

        assertThat(charged).isEmpty();
        assertThat(released).hasValue(1);
    }

    @Test
    void anEarlyPartialUsageStillCountsTheOutputStreamedSince() {
        // Anthropic reports the input and one output token at the start, the rest at the end.
        SseEvent start = SseEvent.named("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}");
        SseEvent text = SseEvent.named("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"sixteen letters!\"}}");

        StepVerifier.create(metered(AnthropicFormat.ANTHROPIC, Flux.concat(Flux.just(start, text), Flux.never())))
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));

        assertThat(charged).containsExactly(new TokenCounts(9, 4));
    }
}
