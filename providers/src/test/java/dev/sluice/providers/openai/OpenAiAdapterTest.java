package dev.sluice.providers.openai;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.provider.StreamRules;
import dev.sluice.providers.Fixtures;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiAdapterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProviderKey KEY = ProviderKey.of("main", "sk-test-123");
    private static final byte[] CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\u00e9\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final MockWebServer server = new MockWebServer();
    private ProviderAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        server.start();
        adapter = adapter(server.url("/v1/").toString(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        adapter.close().block(WAIT);
        server.shutdown();
    }

    @Test
    void forwardsChatBodyExactlyWithBearerKeyAndAnswersWithTheBody() throws InterruptedException {
        server.enqueue(json(200, "chat-completion.json"));
        byte[] expected = Fixtures.bytes("openai/chat-completion.json");

        StepVerifier.create(adapter.call(chat(KEY)))
                .assertNext(body -> assertThat(body).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-test-123");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getBody().readByteArray()).isEqualTo(CHAT_BODY);
    }

    @Test
    void sendsNoAuthorizationWithoutAKey() throws InterruptedException {
        server.enqueue(json(200, "chat-completion.json"));

        StepVerifier.create(adapter.call(chat(null))).expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeader("Authorization")).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "COMPLETIONS, /v1/completions, completion.json",
            "RESPONSES, /v1/responses, response.json",
            "EMBEDDINGS, /v1/embeddings, embeddings.json"})
    void postsEachOperationToItsPath(Operation operation, String path, String fixture) throws InterruptedException {
        server.enqueue(json(200, fixture));
        byte[] body = "{\"model\":\"m\",\"input\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] expected = Fixtures.bytes("openai/" + fixture);

        StepVerifier.create(adapter.call(new ProviderCall(operation, "m", body, KEY)))
                .assertNext(answer -> assertThat(answer).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo(path);
        assertThat(request.getBody().readByteArray()).isEqualTo(body);
    }

    @Test
    void usesTheDefaultBaseUrlAndStripsATrailingSlash() {
        assertThat(OpenAiAdapter.baseUrl(null)).isEqualTo("https://api.openai.com/v1");
        assertThat(OpenAiAdapter.baseUrl("http://localhost:11434/v1/")).isEqualTo("http://localhost:11434/v1");
    }

    @Test
    void keepsUpstreamStatusAndBodyOn400() {
        byte[] expected = Fixtures.bytes("openai/error-400.json");
        server.enqueue(json(400, "error-400.json"));

        StepVerifier.create(adapter.call(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(400);
                    assertThat(status.provider()).isEqualTo("openai");
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isNull();
                })
                .verify(WAIT);
    }

    @Test
    void keepsUpstreamStatusAndBodyOn500() {
        byte[] expected = Fixtures.bytes("openai/error-500.json");
        server.enqueue(json(500, "error-500.json"));

        StepVerifier.create(adapter.call(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    assertThat(((UpstreamStatusException) error).status()).isEqualTo(500);
                    assertThat(((UpstreamStatusException) error).body()).isEqualTo(expected);
                })
                .verify(WAIT);
    }

    @Test
    void honoursRetryAfterOn429() {
        byte[] expected = Fixtures.bytes("openai/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("Retry-After", "7"));

        StepVerifier.create(adapter.call(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    assertThat(((UpstreamStatusException) error).status()).isEqualTo(429);
                    assertThat(((UpstreamStatusException) error).retryAfter()).isEqualTo(Duration.ofSeconds(7));
                })
                .verify(WAIT);
    }

    @Test
    void refusesA200WhoseBodyIsNotJson() {
        server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html").setBody("<html>hello</html>"));

        StepVerifier.create(adapter.call(chat(KEY)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("provider 'openai' answered 200 with a body that is not JSON"))
                .verify(WAIT);
    }

    @Test
    void timesOutAUnaryCallThatDoesNotAnswerInTime() {
        ProviderAdapter impatient = adapter(server.url("/v1").toString(), Duration.ofSeconds(1));
        server.enqueue(json(200, "chat-completion.json").setHeadersDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.call(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamTimeoutException.class);
                    assertThat(((UpstreamTimeoutException) error).status()).isEqualTo(504);
                })
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    @Test
    void failsWithUnavailableWhenTheConnectionIsRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderAdapter unreachable = adapter("http://127.0.0.1:" + closedPort + "/v1", Duration.ofSeconds(5));

        StepVerifier.create(unreachable.call(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamUnavailableException.class);
                    assertThat(((UpstreamUnavailableException) error).status()).isEqualTo(502);
                })
                .verify(WAIT);
        StepVerifier.create(unreachable.stream(chat(KEY)))
                .expectError(UpstreamUnavailableException.class)
                .verify(WAIT);
        unreachable.close().block(WAIT);
    }

    @Test
    void streamsEveryChatEventIncludingDone() throws InterruptedException {
        server.enqueue(sse("chat-stream.sse"));

        StepVerifier.create(adapter.stream(chat(KEY)))
                .assertNext(event -> assertThat(event.data()).contains("\"role\":\"assistant\""))
                .assertNext(event -> assertThat(event.data()).contains("\"content\":\"Hello\""))
                .assertNext(event -> assertThat(event.data()).contains("\"content\":\"!\""))
                .assertNext(event -> assertThat(event.data()).contains("\"finish_reason\":\"stop\""))
                .assertNext(event -> assertThat(event.isDone()).isTrue())
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getBody().readByteArray()).isEqualTo(CHAT_BODY);
    }

    @Test
    void streamsResponsesEventsUntilResponseCompleted() {
        server.enqueue(sse("responses-stream.sse"));

        StepVerifier.create(adapter.stream(new ProviderCall(Operation.RESPONSES, "gpt-4.1", CHAT_BODY, KEY)))
                .assertNext(event -> assertThat(event.event()).isEqualTo("response.created"))
                .expectNextCount(7)
                .assertNext(event -> assertThat(event.event()).isEqualTo("response.completed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void failsAChatStreamThatEndsBeforeDone() {
        server.enqueue(sse("chat-stream-truncated.sse"));

        StepVerifier.create(adapter.stream(chat(KEY)))
                .expectNextCount(4)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("stream from provider 'openai' ended before its final event"))
                .verify(WAIT);
    }

    @Test
    void failsTheStreamAtAMidStreamErrorEventWithTheProvidersEnvelope() {
        server.enqueue(sse("chat-stream-mid-error.sse"));

        StepVerifier.create(adapter.stream(chat(KEY)))
                .expectNextCount(2)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException failure = (UpstreamStatusException) error;
                    assertThat(failure.status()).isEqualTo(502);
                    assertThat(new String(failure.body(), StandardCharsets.UTF_8)).startsWith("{\"error\":{").contains("server_error");
                })
                .verify(WAIT);
    }

    @Test
    void failsAResponsesStreamThatEndsBeforeItsTerminalEvent() {
        String events = new String(Fixtures.bytes("openai/responses-stream.sse"), StandardCharsets.UTF_8);
        String cut = events.substring(0, events.indexOf("event: response.completed"));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(cut));

        StepVerifier.create(adapter.stream(new ProviderCall(Operation.RESPONSES, "gpt-4.1", CHAT_BODY, KEY)))
                .expectNextCount(8)
                .expectError(UpstreamProtocolException.class)
                .verify(WAIT);
    }

    @Test
    void failsAStreamWithTheUpstreamStatusBeforeAnyEvent() {
        byte[] expected = Fixtures.bytes("openai/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("retry-after-ms", "1500"));

        StepVerifier.create(adapter.stream(chat(KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(429);
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isEqualTo(Duration.ofMillis(1500));
                })
                .verify(WAIT);
    }

    @Test
    void timesOutAStreamWhoseFirstEventDoesNotComeInTime() {
        ProviderAdapter impatient = adapter(server.url("/v1").toString(), Duration.ofSeconds(1));
        server.enqueue(sse("chat-stream.sse").setBodyDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.stream(chat(KEY)))
                .expectError(UpstreamTimeoutException.class)
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    @Test
    void keepsStreamingPastTheTimeoutOnceTheFirstEventCame() {
        ProviderAdapter impatient = adapter(server.url("/v1").toString(), Duration.ofSeconds(1));
        byte[] events = Fixtures.bytes("openai/chat-stream.sse");
        int firstEvent = new String(events, StandardCharsets.UTF_8).indexOf("\n\n") + 2;
        // The first event at once, then the rest slowly: the whole stream takes longer than the timeout.
        server.enqueue(sse("chat-stream.sse").throttleBody(firstEvent, 400, TimeUnit.MILLISECONDS));

        StepVerifier.create(impatient.stream(chat(KEY)))
                .expectNextCount(5)
                .expectComplete()
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    private ProviderAdapter adapter(String baseUrl, Duration timeout) {
        ProviderConfig config = ProviderConfig.builder("openai", "openai").baseUrl(baseUrl).timeout(timeout).maxConnections(4).build();
        // As the engine holds it: its streams kept to the rules of its wire format.
        return StreamRules.around(new OpenAiProviderFactory().create(config, new ProviderContext(Schedulers.parallel())), config.name());
    }

    private static ProviderCall chat(ProviderKey key) {
        return new ProviderCall(Operation.CHAT_COMPLETIONS, "gpt-4o-mini", CHAT_BODY, key);
    }

    private static MockResponse json(int status, String fixture) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(new Buffer().write(Fixtures.bytes("openai/" + fixture)));
    }

    private static MockResponse sse(String fixture) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream")
                .setBody(new Buffer().write(Fixtures.bytes("openai/" + fixture)));
    }
}
