package dev.sluice.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.provider.StreamRules;
import dev.sluice.core.sse.SseDecoder;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.providers.Fixtures;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicAdapterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProviderKey KEY = ProviderKey.of("main", "sk-ant-api03-test-123");
    private static final byte[] MESSAGE_BODY = ("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Salut \\u00e7a va ?\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM_BODY = ("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Salut \\u00e7a va ?\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private ProviderAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        server.start();
        adapter = adapter(server.url("/").toString(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        adapter.close().block(WAIT);
        server.shutdown();
    }

    @Test
    void postsToMessagesWithApiKeyAndVersionAndAnswersWithTheBody() throws InterruptedException {
        server.enqueue(json(200, "message.json"));
        byte[] expected = Fixtures.bytes("anthropic/message.json");

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, KEY)))
                .assertNext(body -> assertThat(body).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v1/messages");
        assertThat(request.getHeader("x-api-key")).isEqualTo("sk-ant-api03-test-123");
        assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getBody().readByteArray()).isEqualTo(MESSAGE_BODY);
    }

    @Test
    void sendsNoApiKeyWithoutAKeyButStillTheVersion() throws InterruptedException {
        server.enqueue(json(200, "message.json"));

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, null))).expectNextCount(1).expectComplete().verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("x-api-key")).isNull();
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
    }

    @Test
    void passesAToolUseAnswerThroughUnchanged() {
        server.enqueue(json(200, "message-tool-use.json"));
        byte[] expected = Fixtures.bytes("anthropic/message-tool-use.json");

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, KEY)))
                .assertNext(body -> assertThat(body).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void forwardsARequestWithABase64ImageByteForByte() throws InterruptedException {
        byte[] withImage = Fixtures.bytes("anthropic/request-image.json");
        server.enqueue(json(200, "message.json"));

        StepVerifier.create(adapter.call(message(withImage, KEY))).expectNextCount(1).expectComplete().verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("Content-Length")).isEqualTo(String.valueOf(withImage.length));
        assertThat(request.getBody().readByteArray()).isEqualTo(withImage);
    }

    @Test
    void usesTheDefaultBaseUrlAndStripsATrailingSlash() {
        assertThat(AnthropicAdapter.baseUrl(null)).isEqualTo("https://api.anthropic.com");
        assertThat(AnthropicAdapter.baseUrl(" ")).isEqualTo("https://api.anthropic.com");
        assertThat(AnthropicAdapter.baseUrl("http://localhost:8080/anthropic/")).isEqualTo("http://localhost:8080/anthropic");
    }

    @Test
    void speaksTheAnthropicFormatAndSupportsOnlyMessages() {
        assertThat(adapter.format()).isEqualTo(AnthropicFormat.ANTHROPIC);
        assertThat(adapter.supports(Operation.CHAT_COMPLETIONS)).isTrue();
        assertThat(adapter.supports(Operation.COMPLETIONS)).isFalse();
        assertThat(adapter.supports(Operation.RESPONSES)).isFalse();
        assertThat(adapter.supports(Operation.EMBEDDINGS)).isFalse();
    }

    @Test
    void isFoundByServiceLoaderAsTypeAnthropicWithNoOptions() {
        ProviderFactories factories = ProviderFactories.load(getClass().getClassLoader());

        assertThat(factories.types()).contains("anthropic", "openai", "mock");
        assertThat(factories.get("anthropic")).isInstanceOf(AnthropicProviderFactory.class);
        assertThat(factories.factoryFor(ProviderConfig.builder("claude", "anthropic").build()))
                .isInstanceOf(AnthropicProviderFactory.class);
        assertThatThrownBy(() -> factories.factoryFor(ProviderConfig.builder("claude", "anthropic").option("latency_ms", 5).build()))
                .hasMessageContaining("providers.claude.latency_ms")
                .hasMessageContaining("expected one of: none");
    }

    @Test
    void keepsStatusBodyAndRetryAfterOn429() {
        byte[] expected = Fixtures.bytes("anthropic/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("retry-after", "12"));

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(429);
                    assertThat(status.provider()).isEqualTo("anthropic");
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isEqualTo(Duration.ofSeconds(12));
                })
                .verify(WAIT);
    }

    @Test
    void keepsStatusAndBodyOf529Overloaded() {
        byte[] expected = Fixtures.bytes("anthropic/error-529.json");
        server.enqueue(json(529, "error-529.json"));

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(529);
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isNull();
                })
                .verify(WAIT);
    }

    @Test
    void refusesA200WhoseBodyIsNotJson() {
        server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html").setBody("<html>hello</html>"));

        StepVerifier.create(adapter.call(message(MESSAGE_BODY, KEY)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("provider 'anthropic' answered 200 with a body that is not JSON"))
                .verify(WAIT);
    }

    @Test
    void timesOutAMessageThatDoesNotAnswerInTimeWith504() {
        ProviderAdapter impatient = adapter(server.url("/").toString(), Duration.ofSeconds(1));
        server.enqueue(json(200, "message.json").setHeadersDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.call(message(MESSAGE_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamTimeoutException.class);
                    assertThat(((UpstreamTimeoutException) error).status()).isEqualTo(504);
                })
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    @Test
    void failsWith502WhenTheConnectionIsRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderAdapter unreachable = adapter("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5));

        StepVerifier.create(unreachable.call(message(MESSAGE_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamUnavailableException.class);
                    assertThat(((UpstreamUnavailableException) error).status()).isEqualTo(502);
                })
                .verify(WAIT);
        StepVerifier.create(unreachable.stream(message(STREAM_BODY, KEY)))
                .expectError(UpstreamUnavailableException.class)
                .verify(WAIT);
        unreachable.close().block(WAIT);
    }

    @Test
    void streamsEveryEventInOrderIncludingPingUntilMessageStop() throws InterruptedException {
        server.enqueue(sse("message-stream.sse"));
        List<SseEvent> recorded = new SseDecoder().decode(Fixtures.bytes("anthropic/message-stream.sse"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)).collectList())
                .assertNext(events -> {
                    assertThat(events).containsExactlyElementsOf(recorded);
                    assertThat(events).extracting(SseEvent::event).containsExactly(
                            "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                            "content_block_stop", "message_delta", "message_stop");
                    assertThat(events.get(4).data()).contains("\"text\":\"! Ça va bien, merci.\"");
                })
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1/messages");
        assertThat(request.getHeader("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getHeader("x-api-key")).isEqualTo("sk-ant-api03-test-123");
        assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(request.getBody().readByteArray()).isEqualTo(STREAM_BODY);
    }

    @Test
    void streamsAToolCallWhosePartialJsonAddsUpToTheInput() {
        server.enqueue(sse("message-stream-tool-use.sse"));
        List<SseEvent> recorded = new SseDecoder().decode(Fixtures.bytes("anthropic/message-stream-tool-use.sse"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)).collectList())
                .assertNext(events -> {
                    assertThat(events).containsExactlyElementsOf(recorded);
                    String input = events.stream()
                            .map(event -> tree(event.data()))
                            .filter(data -> data.path("delta").path("type").asText().equals("input_json_delta"))
                            .map(data -> data.path("delta").path("partial_json").asText())
                            .collect(Collectors.joining());
                    assertThat(tree(input)).isEqualTo(tree("{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"));
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void passesOnAMidStreamOverloadedErrorEventAndEndsThere() {
        server.enqueue(sse("message-stream-mid-error.sse"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)))
                .assertNext(event -> assertThat(event.event()).isEqualTo("message_start"))
                .expectNextCount(3)
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("error");
                    assertThat(tree(event.data()).path("error").path("type").asText()).isEqualTo("overloaded_error");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void forwardsNothingAfterAnErrorEvent() {
        String afterError = "event: content_block_delta\n"
                + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        String body = new String(Fixtures.bytes("anthropic/message-stream-mid-error.sse"), StandardCharsets.UTF_8) + afterError;
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)).map(SseEvent::event).collectList())
                .assertNext(names -> assertThat(names).containsExactly(
                        "message_start", "content_block_start", "ping", "content_block_delta", "error"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void failsAStreamCutBeforeMessageStopAfterTheEventsReceived() {
        server.enqueue(sse("message-stream-truncated.sse"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)))
                .expectNextCount(6)
                .assertNext(event -> assertThat(event.event()).isEqualTo("message_delta"))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("stream from provider 'anthropic' ended before its final event"))
                .verify(WAIT);
    }

    @Test
    void failsAStreamWith429AndItsRetryAfterBeforeAnyEvent() {
        byte[] expected = Fixtures.bytes("anthropic/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("retry-after", "3"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(429);
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isEqualTo(Duration.ofSeconds(3));
                })
                .verify(WAIT);
    }

    @Test
    void failsAStreamWith529OverloadedBeforeAnyEvent() {
        byte[] expected = Fixtures.bytes("anthropic/error-529.json");
        server.enqueue(json(529, "error-529.json"));

        StepVerifier.create(adapter.stream(message(STREAM_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    assertThat(((UpstreamStatusException) error).status()).isEqualTo(529);
                    assertThat(((UpstreamStatusException) error).body()).isEqualTo(expected);
                })
                .verify(WAIT);
    }

    @Test
    void timesOutAStreamWhoseFirstEventDoesNotComeInTime() {
        ProviderAdapter impatient = adapter(server.url("/").toString(), Duration.ofSeconds(1));
        server.enqueue(sse("message-stream.sse").setBodyDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.stream(message(STREAM_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamTimeoutException.class);
                    assertThat(((UpstreamTimeoutException) error).status()).isEqualTo(504);
                })
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    private ProviderAdapter adapter(String baseUrl, Duration timeout) {
        ProviderConfig config = ProviderConfig.builder("anthropic", "anthropic").baseUrl(baseUrl).timeout(timeout).maxConnections(4).build();
        // As the engine holds it: its streams kept to the rules of its wire format.
        return StreamRules.around(new AnthropicProviderFactory().create(config, new ProviderContext(Schedulers.parallel())), config.name());
    }

    private static ProviderCall message(byte[] body, ProviderKey key) {
        return new ProviderCall(Operation.CHAT_COMPLETIONS, "claude-sonnet-4-20250514", body, key);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static MockResponse json(int status, String fixture) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(new Buffer().write(Fixtures.bytes("anthropic/" + fixture)));
    }

    private static MockResponse sse(String fixture) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream")
                .setBody(new Buffer().write(Fixtures.bytes("anthropic/" + fixture)));
    }
}
