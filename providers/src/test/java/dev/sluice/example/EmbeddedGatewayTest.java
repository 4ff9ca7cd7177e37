package dev.sluice.example;

import dev.sluice.core.Gateway;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRequest;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import io.netty.buffer.Unpooled;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine embedded in a plain Reactor Netty application of its own, without gateway-server: the code of the
 * README's "Embedding Sluice" section, run against the mock provider and a MockWebServer upstream.
 */
class EmbeddedGatewayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String UPSTREAM_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,\
            "message":{"role":"assistant","content":"from upstream"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";
    private static final String UPSTREAM_STREAM = """
            data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"stre"},"finish_reason":null}]}

            data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"amed"},"finish_reason":"stop"}]}

            data: [DONE]

            """;

    private MockWebServer upstream;
    private Gateway gateway;
    private DisposableServer app;

    @BeforeEach
    void start() throws IOException {
        upstream = new MockWebServer();
        upstream.start();

        // --- README: Embedding Sluice ---
        Store store = R2dbcStore.open("r2dbc:h2:mem:///embedded-" + UUID.randomUUID(), 4).block(TIMEOUT);
        gateway = Gateway.builder()
                .provider(ProviderConfig.builder("demo", "mock").models(List.of("echo")).build())
                .provider(ProviderConfig.builder("upstream", "openai").baseUrl(upstream.url("/v1").toString())
                        .key(ProviderKey.of("main", "sk-upstream")).build())
                .store(store)
                .build();

        // The application's own routes: one unary and one streaming endpoint in front of the engine.
        app = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .post("/ask", (request, response) -> request.receive().aggregate().asByteArray()
                                .flatMap(body -> gateway.call(chat(body)))
                                .flatMap(answer -> response.header("content-type", "application/json")
                                        .sendByteArray(Mono.just(answer.body())).then()))
                        .post("/ask/stream", (request, response) -> request.receive().aggregate().asByteArray()
                                .flatMap(body -> gateway.stream(chat(body)))
                                .flatMapMany(GatewayStream::events)
                                .map(SseEvent::encode)
                                .as(events -> response.header("content-type", "text/event-stream").sendByteArray(events))))
                .bindNow();
        // --- end ---
    }

    /** Every call names its caller: here an anonymous one; with a virtual key, {@code Caller.withKey("sk-bf-...")}. */
    private static GatewayRequest chat(byte[] body) {
        return GatewayRequest.of(Operation.CHAT_COMPLETIONS, RequestBody.parse(body), Caller.anonymous());
    }

    @AfterEach
    void stop() throws IOException {
        app.disposeNow();
        gateway.close().block(TIMEOUT);
        upstream.shutdown();
    }

    private String post(String path, String body) {
        return HttpClient.create().post().uri("http://127.0.0.1:" + app.port() + path)
                .send(Mono.just(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)))
                .responseContent().aggregate().asString().block(TIMEOUT);
    }

    @Test
    void answersThroughTheMockAndThroughAnUpstream() throws InterruptedException {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(UPSTREAM_ANSWER));

        String mock = post("/ask", "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello engine\"}]}");
        String real = post("/ask", "{\"model\":\"upstream/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(mock).contains("\"content\":\"hello engine\"");
        assertThat(real).contains("from upstream");
        assertThat(upstream.takeRequest().getHeader("Authorization")).isEqualTo("Bearer sk-upstream");
    }

    @Test
    void streamsEventByEventFromTheMockAndFromAnUpstream() {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(UPSTREAM_STREAM));

        String mock = post("/ask/stream", "{\"model\":\"demo/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
        String real = post("/ask/stream", "{\"model\":\"upstream/gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(mock).contains("\"content\":\"one\"").contains("\"content\":\" three\"").endsWith("data: [DONE]\n\n");
        assertThat(real).contains("\"content\":\"stre\"").contains("\"content\":\"amed\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void runsAsyncJobsOnTheMockAndOnAnUpstream() {
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(UPSTREAM_ANSWER));

        AsyncJob mock = runJob("{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"later\"}]}");
        AsyncJob real = runJob("{\"model\":\"upstream/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"later\"}]}");

        assertThat(mock.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(new String(mock.result(), StandardCharsets.UTF_8)).contains("\"content\":\"later\"");
        assertThat(real.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(new String(real.result(), StandardCharsets.UTF_8)).contains("from upstream");
    }

    private AsyncJob runJob(String body) {
        AsyncJob submitted = gateway.jobs().submit(chat(body.getBytes(StandardCharsets.UTF_8)), null).block(TIMEOUT);
        // Ticks that come while a look is under way are dropped: on a busy machine a look outlasts the period.
        return Flux.interval(Duration.ofMillis(50))
                .onBackpressureDrop()
                .concatMap(tick -> gateway.jobs().find(submitted.id(), Operation.CHAT_COMPLETIONS, Caller.anonymous()))
                .filter(job -> job.status().isFinal())
                .blockFirst(TIMEOUT);
    }

    @Test
    void runsASmallBatch() {
        String lines = """
                {"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"demo/echo","messages":[{"role":"user","content":"first"}]}}
                {"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"upstream/gpt-4o-mini","messages":[{"role":"user","content":"second"}]}}
                """;
        upstream.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(UPSTREAM_ANSWER));
        Caller caller = Caller.anonymous();

        Batch created = gateway.files().upload(caller, "requests.jsonl", "batch", null, Flux.just(lines.getBytes(StandardCharsets.UTF_8)))
                .flatMap(file -> gateway.batches().create(caller, new BatchRequest(file.id(), "/v1/chat/completions", "24h", null, null)))
                .block(TIMEOUT);
        Batch finished = Flux.interval(Duration.ofMillis(50))
                .onBackpressureDrop()
                .concatMap(tick -> gateway.batches().get(created.id(), caller))
                .filter(batch -> batch.status() == BatchStatus.COMPLETED)
                .blockFirst(TIMEOUT);
        String output = gateway.files().content(finished.outputFileId())
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).reduce("", String::concat).block(TIMEOUT);

        assertThat(output.lines()).hasSize(2).anySatisfy(line -> assertThat(line).contains("\"custom_id\":\"a\"").contains("first"))
                .anySatisfy(line -> assertThat(line).contains("\"custom_id\":\"b\"").contains("from upstream"));
    }
}
