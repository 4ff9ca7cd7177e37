package dev.sluice.providers.gemini;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.provider.StreamRules;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiAdapterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProviderKey KEY = ProviderKey.of("main", "AIzaSy-test-123");
    private static final String MODEL = "gemini-2.0-flash";
    private static final byte[] CHAT_BODY = ("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Bonjour, quelle est la capitale de la France ? \\u00e9\"}]}],"
            + "\"generationConfig\":{\"temperature\":0.7}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOOL_BODY = ("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What's the weather in Paris?\"}]}],"
            + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_current_weather\",\"parameters\":{\"type\":\"OBJECT\","
            + "\"properties\":{\"location\":{\"type\":\"STRING\"},\"unit\":{\"type\":\"STRING\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
            + "\"required\":[\"location\"]}}]}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMBED_BODY = "{\"content\":{\"parts\":[{\"text\":\"What is the meaning of life?\"}]},\"taskType\":\"RETRIEVAL_QUERY\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_EMBED_BODY = ("{\"requests\":[{\"model\":\"models/text-embedding-004\",\"content\":{\"parts\":[{\"text\":\"first\"}]}},"
            + "{\"model\":\"models/text-embedding-004\",\"content\":{\"parts\":[{\"text\":\"second\"}]}}]}").getBytes(StandardCharsets.UTF_8);

    private final MockWebServer server = new MockWebServer();
    private ProviderAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        server.start();
        adapter = adapter(server.url("/v1beta/").toString(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        adapter.close().block(WAIT);
        server.shutdown();
    }

    @Test
    void postsGenerateContentToTheModelPathWithGoogApiKeyAndForwardsTheBodyExactly() throws InterruptedException {
        server.enqueue(json(200, "generate-content.json"));
        byte[] expected = Fixtures.bytes("gemini/generate-content.json");

        StepVerifier.create(adapter.call(chat(CHAT_BODY, KEY)))
                .assertNext(body -> assertThat(body).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
        assertThat(request.getHeader("x-goog-api-key")).isEqualTo("AIzaSy-test-123");
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getBody().readByteArray()).isEqualTo(CHAT_BODY);
    }

    @Test
    void answersAFunctionCallExactlyAsGeminiSentIt() throws InterruptedException {
        server.enqueue(json(200, "function-call.json"));
        byte[] expected = Fixtures.bytes("gemini/function-call.json");

        StepVerifier.create(adapter.call(chat(TOOL_BODY, KEY)))
                .assertNext(body -> assertThat(body).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBody().readByteArray()).isEqualTo(TOOL_BODY);
    }

    @Test
    void forwardsInlineImageDataByteForByte() throws InterruptedException {
        byte[] body = Fixtures.bytes("gemini/request-inline-data.json");
        byte[] expected = Fixtures.bytes("gemini/describe-image.json");
        server.enqueue(json(200, "describe-image.json"));

        StepVerifier.create(adapter.call(chat(body, KEY)))
                .assertNext(answer -> assertThat(answer).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getBodySize()).isEqualTo(body.length);
        assertThat(request.getBody().readByteArray()).isEqualTo(body);
    }

    @Test
    void sendsNeitherKeyHeaderNorAuthorizationWithoutAKey() throws InterruptedException {
        server.enqueue(json(200, "generate-content.json"));

        StepVerifier.create(adapter.call(chat(CHAT_BODY, null))).expectNextCount(1).expectComplete().verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("x-goog-api-key")).isNull();
        assertThat(request.getHeader("Authorization")).isNull();
    }

    @Test
    void embedsOneContentWithEmbedContent() throws InterruptedException {
        byte[] expected = Fixtures.bytes("gemini/embed-content.json");
        server.enqueue(json(200, "embed-content.json"));

        StepVerifier.create(adapter.call(new ProviderCall(Operation.EMBEDDINGS, "text-embedding-004", EMBED_BODY, KEY)))
                .assertNext(answer -> assertThat(answer).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1beta/models/text-embedding-004:embedContent");
        assertThat(request.getHeader("x-goog-api-key")).isEqualTo("AIzaSy-test-123");
        assertThat(request.getBody().readByteArray()).isEqualTo(EMBED_BODY);
    }

    @Test
    void embedsABodyWithTopLevelRequestsWithBatchEmbedContents() throws InterruptedException {
        byte[] expected = Fixtures.bytes("gemini/batch-embed-contents.json");
        server.enqueue(json(200, "batch-embed-contents.json"));

        StepVerifier.create(adapter.call(new ProviderCall(Operation.EMBEDDINGS, "text-embedding-004", BATCH_EMBED_BODY, KEY)))
                .assertNext(answer -> assertThat(answer).isEqualTo(expected))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(request.getBody().readByteArray()).isEqualTo(BATCH_EMBED_BODY);
    }

    @Test
    void encodesTheModelNameAsOnePathSegment() throws InterruptedException {
        server.enqueue(json(200, "generate-content.json"));

        StepVerifier.create(adapter.call(new ProviderCall(Operation.CHAT_COMPLETIONS, "tuned/my model:v1.2_é~x", CHAT_BODY, KEY)))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath())
                .isEqualTo("/v1beta/models/tuned%2Fmy%20model%3Av1.2_%C3%A9~x:generateContent");
    }

    @Test
    void usesTheDefaultBaseUrlAndStripsATrailingSlash() {
        assertThat(GeminiAdapter.baseUrl(null)).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
        assertThat(GeminiAdapter.baseUrl(" ")).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
        assertThat(GeminiAdapter.baseUrl("http://localhost:8080/v1/")).isEqualTo("http://localhost:8080/v1");
    }

    @Test
    void speaksGeminiAndServesOnlyChatAndEmbeddings() {
        assertThat(adapter.format()).isEqualTo(GeminiFormat.GEMINI);
        assertThat(adapter.supports(Operation.CHAT_COMPLETIONS)).isTrue();
        assertThat(adapter.supports(Operation.EMBEDDINGS)).isTrue();
        assertThat(adapter.supports(Operation.COMPLETIONS)).isFalse();
        assertThat(adapter.supports(Operation.RESPONSES)).isFalse();
    }

    @Test
    void refusesOperationsItDoesNotServeWithoutCallingUpstream() {
        StepVerifier.create(adapter.call(new ProviderCall(Operation.RESPONSES, MODEL, CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessage("provider 'gemini' (type gemini) does not serve responses"))
                .verify(WAIT);
        StepVerifier.create(adapter.stream(new ProviderCall(Operation.EMBEDDINGS, "text-embedding-004", EMBED_BODY, KEY)))
                .expectError(InvalidRequestException.class)
                .verify(WAIT);

        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void keepsStatusBodyAndRetryAfterOf429ResourceExhausted() {
        byte[] expected = Fixtures.bytes("gemini/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("Retry-After", "23"));

        StepVerifier.create(adapter.call(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(429);
                    assertThat(status.provider()).isEqualTo("gemini");
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(new String(status.body(), StandardCharsets.UTF_8)).contains("\"status\": \"RESOURCE_EXHAUSTED\"");
                    assertThat(status.retryAfter()).isEqualTo(Duration.ofSeconds(23));
                })
                .verify(WAIT);
    }

    @Test
    void keepsStatusAndBodyOf503Unavailable() {
        byte[] expected = Fixtures.bytes("gemini/error-503.json");
        server.enqueue(json(503, "error-503.json"));

        StepVerifier.create(adapter.call(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(503);
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isNull();
                })
                .verify(WAIT);
    }

    @Test
    void refusesA200WhoseBodyIsNotJson() {
        server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html").setBody("<html>hello</html>"));

        StepVerifier.create(adapter.call(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("provider 'gemini' answered 200 with a body that is not JSON"))
                .verify(WAIT);
    }

    @Test
    void timesOutAUnaryCallThatDoesNotAnswerInTime() {
        ProviderAdapter impatient = adapter(server.url("/v1beta").toString(), Duration.ofSeconds(1));
        server.enqueue(json(200, "generate-content.json").setHeadersDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.call(chat(CHAT_BODY, KEY)))
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
        ProviderAdapter unreachable = adapter("http://127.0.0.1:" + closedPort + "/v1beta", Duration.ofSeconds(5));

        StepVerifier.create(unreachable.call(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamUnavailableException.class);
                    assertThat(((UpstreamUnavailableException) error).status()).isEqualTo(502);
                })
                .verify(WAIT);
        StepVerifier.create(unreachable.stream(chat(CHAT_BODY, KEY)))
                .expectError(UpstreamUnavailableException.class)
                .verify(WAIT);
        unreachable.close().block(WAIT);
    }

    @Test
    void streamsEveryEventInOrderFromStreamGenerateContentWithAltSse() throws InterruptedException {
        server.enqueue(sse("stream-text.sse"));
        List<String> expected = dataOf("stream-text.sse");
        assertThat(expected).hasSize(4);

        StepVerifier.create(adapter.stream(chat(CHAT_BODY, KEY)).map(SseEvent::data))
                .expectNext(expected.get(0), expected.get(1), expected.get(2))
                .assertNext(last -> assertThat(last).isEqualTo(expected.get(3)).contains("\"finishReason\": \"STOP\"", "\"candidatesTokenCount\": 26"))
                .expectComplete()
                .verify(WAIT);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        assertThat(request.getHeader("x-goog-api-key")).isEqualTo("AIzaSy-test-123");
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(request.getHeader("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getBody().readByteArray()).isEqualTo(CHAT_BODY);
    }

    @Test
    void streamsAFunctionCallThenItsFinishReason() {
        server.enqueue(sse("stream-function-call.sse"));
        List<String> expected = dataOf("stream-function-call.sse");

        StepVerifier.create(adapter.stream(chat(TOOL_BODY, KEY)))
                .assertNext(event -> {
                    assertThat(event.event()).isNull();
                    assertThat(event.data()).isEqualTo(expected.get(0)).contains("\"functionCall\": {\"name\": \"get_current_weather\"");
                })
                .assertNext(event -> assertThat(event.data()).isEqualTo(expected.get(1)))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void failsAStreamThatClosesBeforeAnyFinishReasonAfterPassingOnItsEvents() {
        server.enqueue(sse("stream-truncated.sse"));
        List<String> expected = dataOf("stream-truncated.sse");
        assertThat(expected).hasSize(2);

        StepVerifier.create(adapter.stream(chat(CHAT_BODY, KEY)).map(SseEvent::data))
                .expectNext(expected.get(0), expected.get(1))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(UpstreamProtocolException.class)
                        .hasMessage("stream from provider 'gemini' ended before its final event"))
                .verify(WAIT);
    }

    @Test
    void failsAStreamWithTheUpstreamStatusBeforeAnyEvent() {
        byte[] expected = Fixtures.bytes("gemini/error-429.json");
        server.enqueue(json(429, "error-429.json").setHeader("Retry-After", "23"));

        StepVerifier.create(adapter.stream(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    UpstreamStatusException status = (UpstreamStatusException) error;
                    assertThat(status.status()).isEqualTo(429);
                    assertThat(status.body()).isEqualTo(expected);
                    assertThat(status.retryAfter()).isEqualTo(Duration.ofSeconds(23));
                })
                .verify(WAIT);
    }

    @Test
    void failsAStreamWith503BeforeAnyEvent() {
        byte[] expected = Fixtures.bytes("gemini/error-503.json");
        server.enqueue(json(503, "error-503.json"));

        StepVerifier.create(adapter.stream(chat(CHAT_BODY, KEY)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UpstreamStatusException.class);
                    assertThat(((UpstreamStatusException) error).status()).isEqualTo(503);
                    assertThat(((UpstreamStatusException) error).body()).isEqualTo(expected);
                })
                .verify(WAIT);
    }

    @Test
    void timesOutAStreamWhoseFirstEventDoesNotComeInTime() {
        ProviderAdapter impatient = adapter(server.url("/v1beta").toString(), Duration.ofSeconds(1));
        server.enqueue(sse("stream-text.sse").setBodyDelay(2, TimeUnit.SECONDS));

        StepVerifier.create(impatient.stream(chat(CHAT_BODY, KEY)))
                .expectError(UpstreamTimeoutException.class)
                .verify(WAIT);
        impatient.close().block(WAIT);
    }

    private ProviderAdapter adapter(String baseUrl, Duration timeout) {
        ProviderConfig config = ProviderConfig.builder("gemini", "gemini").baseUrl(baseUrl).timeout(timeout).maxConnections(4).build();
        // As the engine holds it: its streams kept to the rules of its wire format.
        return StreamRules.around(new GeminiProviderFactory().create(config, new ProviderContext(Schedulers.parallel())), config.name());
    }

    private static ProviderCall chat(byte[] body, ProviderKey key) {
        return new ProviderCall(Operation.CHAT_COMPLETIONS, MODEL, body, key);
    }

    // The data of each event in a recorded stream, read independently of the adapter's decoder.
    private static List<String> dataOf(String fixture) {
        String text = new String(Fixtures.bytes("gemini/" + fixture), StandardCharsets.UTF_8);
        return Arrays.stream(text.split("\r\n\r\n"))
                .filter(block -> block.startsWith("data: "))
                .map(block -> block.substring("data: ".length()))
                .toList();
    }

    private static MockResponse json(int status, String fixture) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json; charset=UTF-8")
                .setBody(new Buffer().write(Fixtures.bytes("gemini/" + fixture)));
    }

    private static MockResponse sse(String fixture) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream")
                .setBody(new Buffer().write(Fixtures.bytes("gemini/" + fixture)));
    }
}
