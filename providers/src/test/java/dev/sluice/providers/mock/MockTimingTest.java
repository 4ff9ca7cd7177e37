package dev.sluice.providers.mock;

import dev.sluice.core.format.Operation;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Latency and chunk gaps, on a virtual clock so nothing waits and nothing can flake. */
class MockTimingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}".getBytes(StandardCharsets.UTF_8);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    @Test
    void waitsTheLatencyBeforeAUnaryAnswer() {
        ProviderAdapter adapter = adapter(300, 0);

        StepVerifier.withVirtualTime(() -> adapter.call(chat()), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void waitsTheLatencyBeforeTheFirstEventAndTheGapBeforeEachNext() {
        ProviderAdapter adapter = adapter(300, 50);

        // role chunk, "one", " two", finish chunk, [DONE]
        StepVerifier.withVirtualTime(() -> adapter.stream(chat()), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(50))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(50))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(50))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(50))
                .expectNextMatches(event -> event.isDone())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void answersAtOnceWithoutLatencyOrGap() {
        ProviderAdapter adapter = adapter(0, 0);

        // Nothing is scheduled on the clock, so the whole stream arrives without advancing it.
        StepVerifier.create(adapter.stream(chat()))
                .expectNextCount(5)
                .expectComplete()
                .verify(WAIT);
    }

    private ProviderAdapter adapter(int latencyMs, int chunkGapMs) {
        ProviderConfig config = ProviderConfig.builder("mock", "mock")
                .option("latency_ms", latencyMs)
                .option("chunk_gap_ms", chunkGapMs)
                .build();
        return new MockProviderFactory().create(config, new ProviderContext(clock));
    }

    private static ProviderCall chat() {
        return new ProviderCall(Operation.CHAT_COMPLETIONS, "mock-model", CHAT, null);
    }
}
