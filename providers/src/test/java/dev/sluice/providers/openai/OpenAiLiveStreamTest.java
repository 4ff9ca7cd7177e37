package dev.sluice.providers.openai;

import dev.sluice.core.format.Operation;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams against a live Reactor Netty upstream whose sending side the test controls, to prove events are
 * passed on as they come and that cancelling reaches the upstream.
 */
class OpenAiLiveStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] BODY = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private DisposableServer upstream;
    private ProviderAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.close().block(WAIT);
        }
        if (upstream != null) {
            upstream.disposeNow(WAIT);
        }
    }

    @Test
    void passesTheFirstEventOnWhileTheUpstreamIsStillSending() {
        Sinks.Empty<Void> release = Sinks.empty();
        // The rest of the body is held back until the test has seen the first event: a buffering adapter
        // would never emit it, and the verification would time out.
        start(Flux.concat(
                Mono.just("data: {\"n\":1}\n\n"),
                release.asMono().then(Mono.just("data: {\"n\":2}\n\ndata: [DONE]\n\n"))));

        StepVerifier.create(adapter.stream(call()))
                .assertNext(event -> assertThat(event.data()).isEqualTo("{\"n\":1}"))
                .then(release::tryEmitEmpty)
                .assertNext(event -> assertThat(event.data()).isEqualTo("{\"n\":2}"))
                .assertNext(event -> assertThat(event.isDone()).isTrue())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void cancellingTheStreamClosesTheUpstreamRequest() throws InterruptedException {
        CountDownLatch upstreamCancelled = new CountDownLatch(1);
        start(Flux.interval(Duration.ofMillis(20))
                .map(n -> "data: {\"n\":" + n + "}\n\n")
                .doOnCancel(upstreamCancelled::countDown));

        StepVerifier.create(adapter.stream(call()))
                .expectNextCount(2)
                .thenCancel()
                .verify(WAIT);

        assertThat(upstreamCancelled.await(5, TimeUnit.SECONDS))
                .as("the upstream stopped sending because its client went away")
                .isTrue();
    }

    private void start(Flux<String> events) {
        upstream = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/v1/chat/completions", (request, response) -> response
                        .header("Content-Type", "text/event-stream")
                        .sendString(events)))
                .bindNow(WAIT);
        ProviderConfig config = ProviderConfig.builder("local", "openai")
                .baseUrl("http://127.0.0.1:" + upstream.port() + "/v1")
                .timeout(Duration.ofSeconds(5))
                .build();
        adapter = new OpenAiProviderFactory().create(config, new ProviderContext(Schedulers.parallel()));
    }

    private static ProviderCall call() {
        return new ProviderCall(Operation.CHAT_COMPLETIONS, "m", BODY, ProviderKey.of("k", "sk-local"));
    }
}
