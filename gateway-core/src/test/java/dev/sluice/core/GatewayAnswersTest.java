package dev.sluice.core;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.request.CallReport;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the engine tells its caller about a call travels in the answer: who served it, its tokens, its time upstream. */
class GatewayAnswersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LATENCY = Duration.ofMillis(60);
    private static final String ANSWER = """
            {"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant",\
            "content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

    private final AtomicInteger streamsSubscribed = new AtomicInteger();
    private final Gateway gateway = Gateway.builder()
            .provider(ProviderConfig.builder("up", "openai").build(), new SlowUpstream())
            .provider(ProviderConfig.builder("broken", "openai").build(), new BrokenUpstream())
            .build();

    @AfterEach
    void close() {
        gateway.close().block(TIMEOUT);
    }

    @Test
    void unaryAnswerCarriesWhoServedItItsTokensAndItsTimeUpstream() {
        GatewayResponse answer = gateway.call(chat("up/m", false)).block(TIMEOUT);

        assertThat(answer.served().provider()).isEqualTo("up");
        CallReport report = answer.report();
        assertThat(report.provider()).isEqualTo("up");
        assertThat(report.model()).isEqualTo("m");
        assertThat(report.virtualKey()).isNull();
        assertThat(report.tokens()).isEqualTo(new TokenCounts(3, 2));
        assertThat(report.upstreamNanos()).isGreaterThanOrEqualTo(LATENCY.toNanos());
    }

    @Test
    void streamIsHandedOverOnceItsFirstEventArrivedSayingWhoServesIt() {
        GatewayStream stream = gateway.stream(chat("up/m", true)).block(TIMEOUT);

        assertThat(stream.served().provider()).isEqualTo("up");
        assertThat(stream.served().model()).isEqualTo("m");
        assertThat(stream.report().upstreamNanos()).isGreaterThanOrEqualTo(LATENCY.toNanos());
        StepVerifier.create(stream.events().map(SseEvent::data))
                .expectNext("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one\"}}]}")
                .expectNext("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two\"}}]}")
                .expectNext("[DONE]")
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(streamsSubscribed).hasValue(1);
        assertThat(stream.report().provider()).isEqualTo("up");
    }

    @Test
    void failureBeforeTheFirstEventFailsTheStreamItselfCarryingItsTarget() {
        StepVerifier.create(gateway.stream(chat("broken/m", true)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(GatewayException.class);
                    CallReport report = ((GatewayException) error).report();
                    assertThat(report.provider()).isEqualTo("broken");
                    assertThat(report.model()).isEqualTo("m");
                })
                .verify(TIMEOUT);
    }

    @Test
    void refusedCallCarriesWhatTheEngineLearnedBeforeIt() {
        StepVerifier.create(gateway.call(chat("broken/m", false)))
                .expectErrorSatisfies(error -> assertThat(((GatewayException) error).report().provider()).isEqualTo("broken"))
                .verify(TIMEOUT);
    }

    private static GatewayRequest chat(String model, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return GatewayRequest.of(Operation.CHAT_COMPLETIONS, RequestBody.parse(body.getBytes(StandardCharsets.UTF_8)), Caller.anonymous());
    }

    /** Answers after {@link #LATENCY}; streams two chunks, the first after it. */
    private final class SlowUpstream implements ProviderAdapter {
        @Override
        public Mono<byte[]> call(ProviderCall call) {
            return Mono.delay(LATENCY).thenReturn(ANSWER.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            return Flux.fromIterable(List.of(
                            SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one\"}}]}"),
                            SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two\"}}]}"),
                            SseEvent.data("[DONE]")))
                    .delaySequence(LATENCY)
                    .doOnSubscribe(subscription -> streamsSubscribed.incrementAndGet());
        }
    }

    /** Refuses every request with a 400, which no retry or fallback can mend. */
    private static final class BrokenUpstream implements ProviderAdapter {
        @Override
        public Mono<byte[]> call(ProviderCall call) {
            return Mono.error(new UpstreamStatusException("broken", 400, "{}".getBytes(StandardCharsets.UTF_8), null));
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            return Flux.error(new UpstreamStatusException("broken", 400, "{}".getBytes(StandardCharsets.UTF_8), null));
        }
    }
}
