package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.CountingUpstream;
import dev.sluice.server.support.MutableClock;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sluice.server.FilesApiTest.KEY_B;
import static dev.sluice.server.FilesApiTest.upload;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The Batch API over real HTTP: the gateway runs every line itself, on H2 and on PostgreSQL. */
class BatchesApiTest {

    /** A virtual key that may use every model, with no limits: batches run under their creator's key. */
    private static final String KEY_A = "sk-bf-batcher-0007";

    private static String config(String storeUrl, int linesAtOnce) {
        return AsyncJobsTest.config(storeUrl).replace("  demo: {type: mock, models: [echo]}\n", """
                  demo: {type: mock, models: [echo]}
                  slow: {type: mock, latency_ms: 300}
                  glacial: {type: mock, latency_ms: 20000}
                """).replace("virtual_keys:\n", "virtual_keys:\n  - {name: batcher, value: " + KEY_A + "}\n")
                + "batch: {max_concurrency_per_batch: " + linesAtOnce + "}\n";
    }

    private static void withGateway(StoreKind kind, int linesAtOnce, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), linesAtOnce))) {
            test.accept(gateway);
        }
    }

    static String chatLine(String customId, String model, String text) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}}\n";
    }

    static String lines(int count, String model) {
        return IntStream.range(0, count).mapToObj(i -> chatLine("line-" + i, model, "text " + i)).collect(Collectors.joining());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void sdkRunsABatchAndDownloadsItsResults(StoreKind kind) {
        withGateway(kind, 4, gateway -> {
            OpenAIClient client = FilesApiTest.client(gateway, KEY_A);
            FileObject input = client.files().create(FileCreateParams.builder()
                    .file(FilesApiTest.named("in.jsonl", (chatLine("a", "demo/echo", "one") + chatLine("b", "demo/echo", "two two")
                            + chatLine("c", "demo/echo", "three")).getBytes(StandardCharsets.UTF_8)))
                    .purpose(FilePurpose.BATCH).build());

            Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build());
            assertThat(created.status()).isEqualTo(Batch.Status.VALIDATING);

            Batch done = Polling.until(() -> client.batches().retrieve(created.id()), batch -> batch.status().equals(Batch.Status.COMPLETED),
                    Duration.ofSeconds(20));
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(3);
            assertThat(done.requestCounts().orElseThrow().failed()).isZero();
            assertThat(done.errorFileId()).isEmpty();
            assertThat(client.batches().list().data()).extracting(Batch::id).contains(created.id());

            List<JsonNode> output;
            try (HttpResponse download = client.files().content(done.outputFileId().orElseThrow())) {
                output = jsonLines(download.body());
            }
            assertThat(output).extracting(line -> line.path("custom_id").asText()).containsExactlyInAnyOrder("a", "b", "c");
            JsonNode b = output.stream().filter(line -> line.path("custom_id").asText().equals("b")).findFirst().orElseThrow();
            assertThat(b.path("id").asText()).startsWith("batch_req_");
            assertThat(b.at("/response/status_code").asInt()).isEqualTo(200);
            assertThat(b.at("/response/body/choices/0/message/content").asText()).isEqualTo("two two");
            assertThat(b.path("error").isNull()).isTrue();

            JsonNode raw = json(gateway.send(gateway.request("/v1/batches/" + created.id(), "x-bf-vk", KEY_A).GET()).body());
            assertThat(raw.path("model").asText()).isEqualTo("echo");
            assertThat(raw.at("/usage/input_tokens").asLong()).isEqualTo(4);
            assertThat(raw.at("/usage/total_tokens").asLong()).isEqualTo(8);
            client.close();
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void mixedSuccessAndFailureLinesLandInTheirFiles(StoreKind kind) {
        withGateway(kind, 4, gateway -> {
            String file = uploadLines(gateway, chatLine("ok", "demo/echo", "fine") + chatLine("unreachable", "down/gpt", "x")
                    + chatLine("refused", "nowhere/x", "x"), KEY_A);

            JsonNode done = awaitFinal(gateway, create(gateway, file, "/v1/chat/completions", KEY_A), KEY_A);

            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.at("/request_counts/total").asInt()).isEqualTo(3);
            assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(1);
            assertThat(done.at("/request_counts/failed").asInt()).isEqualTo(2);
            assertThat(download(gateway, done.path("output_file_id").asText(), KEY_A)).extracting(line -> line.path("custom_id").asText())
                    .containsExactly("ok");
            List<JsonNode> errors = download(gateway, done.path("error_file_id").asText(), KEY_A);
            JsonNode unreachable = byCustomId(errors, "unreachable");
            assertThat(unreachable.path("response").isNull()).isTrue();
            assertThat(unreachable.at("/error/code").asText()).isEqualTo("upstream_unavailable");
            JsonNode refused = byCustomId(errors, "refused");
            assertThat(refused.at("/response/status_code").asInt()).isEqualTo(400);
            assertThat(refused.at("/response/body/error/message").asText()).contains("Unknown provider 'nowhere'");
        });
    }

    @Test
    void runsEmbeddingsAndResponsesBatches() {
        withGateway(StoreKind.H2, 4, gateway -> {
            String embeddings = uploadLines(gateway, "{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":"
                    + "{\"model\":\"demo/embed\",\"input\":\"vector\"}}\n", KEY_A);
            String responses = uploadLines(gateway, "{\"custom_id\":\"r\",\"method\":\"POST\",\"url\":\"/v1/responses\",\"body\":"
                    + "{\"model\":\"demo/echo\",\"input\":\"respond\",\"stream\":true}}\n", KEY_A);

            JsonNode e = awaitFinal(gateway, create(gateway, embeddings, "/v1/embeddings", KEY_A), KEY_A);
            JsonNode r = awaitFinal(gateway, create(gateway, responses, "/v1/responses", KEY_A), KEY_A);

            assertThat(download(gateway, e.path("output_file_id").asText(), KEY_A).getFirst().at("/response/body/data/0/object").asText())
                    .isEqualTo("embedding");
            assertThat(download(gateway, r.path("output_file_id").asText(), KEY_A).getFirst().at("/response/body/output/0/content/0/text")
                    .asText()).as("stream is forced off").isEqualTo("respond");
        });
    }

    @Test
    void aBadInputFileFailsTheBatchNamingEachLine() {
        withGateway(StoreKind.H2, 4, gateway -> {
            String file = uploadLines(gateway, chatLine("a", "demo/echo", "x") + "{not json\n" + chatLine("a", "demo/echo", "dup")
                    + chatLine("e", "demo/echo", "x").replace("/v1/chat/completions", "/v1/embeddings")
                    + chatLine("g", "demo/echo", "x").replace("POST", "GET")
                    + "{\"custom_id\":\"nobody\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}\n", KEY_A);

            JsonNode failed = awaitFinal(gateway, create(gateway, file, "/v1/chat/completions", KEY_A), KEY_A);

            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("failed_at").isNumber()).isTrue();
            assertThat(failed.at("/errors/data").findValuesAsText("message")).containsExactly(
                    "Line 2: is not valid JSON",
                    "Line 3: custom_id 'a' is used by an earlier line",
                    "Line 4: url '/v1/embeddings' does not match batch endpoint /v1/chat/completions",
                    "Line 5: method 'GET' is not supported (expected: POST)",
                    "Line 6: has no body object");
            assertThat(failed.at("/errors/data/2/line").asInt()).isEqualTo(4);
            assertThat(failed.path("output_file_id").isNull()).isTrue();
        });
    }

    @Test
    void refusesBadBatchRequests() {
        withGateway(StoreKind.H2, 4, gateway -> {
            String file = uploadLines(gateway, chatLine("a", "demo/echo", "x"), KEY_A);
            String notBatch = json(upload(gateway, "u.jsonl", "user_data", "x", KEY_A).body()).path("id").asText();

            assertRefused(gateway, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/images\",\"completion_window\":\"24h\"}", "endpoint");
            assertRefused(gateway, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"48h\"}",
                    "completion_window");
            assertRefused(gateway, "{\"input_file_id\":\"file-nope\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}",
                    "Input file not found");
            assertRefused(gateway, "{\"input_file_id\":\"" + notBatch + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}",
                    "expected: batch");
            String manyKeys = IntStream.range(0, 17).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
            assertRefused(gateway, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                    + "\"metadata\":{" + manyKeys + "}}", "at most 16");
            assertRefused(gateway, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                    + "\"metadata\":{\"" + "k".repeat(65) + "\":\"v\"}}", "at most 64");
            assertRefused(gateway, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                    + "\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}}", "at most 512");
            assertThat(gateway.post("/v1/batches", "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\","
                    + "\"completion_window\":\"24h\"}", "x-bf-vk", KEY_B).statusCode()).as("another key's file").isEqualTo(400);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void batchesBelongToTheKeyThatCreatedThem(StoreKind kind) {
        withGateway(kind, 4, gateway -> {
            String id = create(gateway, uploadLines(gateway, chatLine("a", "demo/echo", "x"), KEY_A), "/v1/chat/completions", KEY_A);

            assertThat(gateway.send(gateway.request("/v1/batches/" + id, "x-bf-vk", KEY_B).GET()).statusCode()).isEqualTo(404);
            assertThat(gateway.get("/v1/batches/" + id).statusCode()).isEqualTo(404);
            assertThat(gateway.post("/v1/batches/" + id + "/cancel", "{}", "x-bf-vk", KEY_B).statusCode()).isEqualTo(404);
            assertThat(json(gateway.send(gateway.request("/v1/batches", "x-bf-vk", KEY_B).GET()).body()).path("data")).isEmpty();
            assertThat(json(gateway.get("/v1/batches").body()).path("data")).isEmpty();
            assertThat(json(gateway.send(gateway.request("/v1/batches", "x-bf-vk", KEY_A).GET()).body()).path("data").findValuesAsText("id"))
                    .containsExactly(id);
        });
    }

    @Test
    void retriesA429HonouringRetryAfter() throws IOException {
        try (MockWebServer upstream = new MockWebServer()) {
            upstream.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
                    .setBody("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
            upstream.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                    {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,\
                    "message":{"role":"assistant","content":"after the wait"},"finish_reason":"stop"}],\
                    "usage":{"prompt_tokens":1,"completion_tokens":3,"total_tokens":4}}"""));
            try (StoreKind.Database database = StoreKind.H2.create();
                 RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), 4).replace("providers:\n",
                         "providers:\n  up: {type: openai, base_url: \"" + upstream.url("/v1") + "\"}\n"))) {
                String file = uploadLines(gateway, chatLine("a", "up/gpt-4o-mini", "x"), KEY_A);
                Instant started = Instant.now();

                JsonNode done = awaitFinal(gateway, create(gateway, file, "/v1/chat/completions", KEY_A), KEY_A);

                assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(1);
                assertThat(upstream.getRequestCount()).isEqualTo(2);
                assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                assertThat(download(gateway, done.path("output_file_id").asText(), KEY_A).getFirst()
                        .at("/response/body/choices/0/message/content").asText()).isEqualTo("after the wait");
            }
        }
    }

    @Test
    void cancelInTheMiddleKeepsWhatFinished() {
        withGateway(StoreKind.H2, 2, gateway -> {
            String id = create(gateway, uploadLines(gateway, lines(20, "slow/echo"), KEY_A), "/v1/chat/completions", KEY_A);
            Polling.until(() -> batch(gateway, id, KEY_A).at("/request_counts/completed").asInt() >= 2, Duration.ofSeconds(20));

            JsonNode cancelling = json(gateway.post("/v1/batches/" + id + "/cancel", "{}", "x-bf-vk", KEY_A).body());
            assertThat(cancelling.path("status").asText()).isIn("cancelling", "cancelled");

            JsonNode cancelled = awaitFinal(gateway, id, KEY_A);
            assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.path("cancelled_at").isNumber()).isTrue();
            int completed = cancelled.at("/request_counts/completed").asInt();
            assertThat(completed).isBetween(2, 19);
            assertThat(download(gateway, cancelled.path("output_file_id").asText(), KEY_A)).hasSize(completed);
            assertThat(gateway.post("/v1/batches/" + id + "/cancel", "{}", "x-bf-vk", KEY_A).statusCode()).isEqualTo(400);
        });
    }

    @Test
    void aBatchCancelledBeforeAnythingFinishedEndsWithNoFiles() {
        withGateway(StoreKind.H2, 2, gateway -> {
            String id = create(gateway, uploadLines(gateway, lines(3, "glacial/echo"), KEY_A), "/v1/chat/completions", KEY_A);
            Polling.until(() -> batch(gateway, id, KEY_A).path("status").asText().equals("in_progress"), Duration.ofSeconds(10));

            gateway.post("/v1/batches/" + id + "/cancel", "{}", "x-bf-vk", KEY_A);

            JsonNode cancelled = awaitFinal(gateway, id, KEY_A);
            assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.path("output_file_id").isNull()).isTrue();
            assertThat(cancelled.path("error_file_id").isNull()).isTrue();
        });
    }

    @Test
    void linesNotFinishedWithinTheWindowExpire() {
        MutableClock clock = new MutableClock(Instant.now());
        try (StoreKind.Database database = StoreKind.H2.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), 1), clock)) {
            String id = create(gateway, uploadLines(gateway, lines(10, "slow/echo"), KEY_A), "/v1/chat/completions", KEY_A);
            Polling.until(() -> batch(gateway, id, KEY_A).at("/request_counts/completed").asInt() >= 1, Duration.ofSeconds(20));

            clock.advance(Duration.ofHours(25));

            JsonNode expired = awaitFinal(gateway, id, KEY_A);
            assertThat(expired.path("status").asText()).isEqualTo("expired");
            assertThat(expired.path("expired_at").isNumber()).isTrue();
            int completed = expired.at("/request_counts/completed").asInt();
            assertThat(completed).isBetween(1, 9);
            assertThat(expired.at("/request_counts/failed").asInt()).isEqualTo(10 - completed);
            assertThat(download(gateway, expired.path("error_file_id").asText(), KEY_A))
                    .allSatisfy(line -> assertThat(line.at("/error/code").asText()).isEqualTo("batch_expired"));
        }
    }

    @Test
    void outputFilesFollowOutputExpiresAfter() {
        withGateway(StoreKind.H2, 2, gateway -> {
            String file = uploadLines(gateway, chatLine("a", "demo/echo", "x"), KEY_A);
            String id = json(gateway.post("/v1/batches", "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\","
                    + "\"completion_window\":\"24h\",\"metadata\":{\"team\":\"é\"},\"output_expires_after\":{\"anchor\":\"created_at\",\"seconds\":7200}}",
                    "x-bf-vk", KEY_A).body()).path("id").asText();

            JsonNode done = awaitFinal(gateway, id, KEY_A);
            JsonNode output = json(gateway.send(gateway.request("/v1/files/" + done.path("output_file_id").asText(), "x-bf-vk", KEY_A).GET()).body());

            assertThat(output.path("purpose").asText()).isEqualTo("batch_output");
            assertThat(output.path("expires_at").asLong() - output.path("created_at").asLong()).isEqualTo(7200);
            assertThat(done.at("/metadata/team").asText()).isEqualTo("é");
        });
    }

    @Test
    void aRestartInTheMiddleOfABatchResendsNoFinishedLineOnH2(@TempDir Path directory) {
        restartInTheMiddle(TestDatabases.h2File(directory));
    }

    @Test
    void aRestartInTheMiddleOfABatchResendsNoFinishedLineOnPostgres() {
        try (StoreKind.Database database = StoreKind.POSTGRES.create()) {
            restartInTheMiddle(database.url());
        }
    }

    private static void restartInTheMiddle(String storeUrl) {
        try (CountingUpstream upstream = new CountingUpstream(Duration.ofMillis(100))) {
            String config = config(storeUrl, 2).replace("providers:\n", "providers:\n  counted: {type: openai, base_url: \"" + upstream.baseUrl() + "\"}\n");
            String id;
            int finishedBeforeRestart;
            try (RunningGateway first = RunningGateway.fromYaml(config)) {
                id = create(first, uploadLines(first, lines(30, "counted/m"), KEY_A), "/v1/chat/completions", KEY_A);
                finishedBeforeRestart = Polling.until(() -> batch(first, id, KEY_A).at("/request_counts/completed").asInt(),
                        completed -> completed >= 6, Duration.ofSeconds(20));
            }
            assertThat(upstream.total()).isLessThan(30);
            try (RunningGateway second = RunningGateway.fromYaml(config)) {
                JsonNode done = awaitFinal(second, id, KEY_A);

                assertThat(done.path("status").asText()).isEqualTo("completed");
                assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(30);
                List<String> customIds = download(second, done.path("output_file_id").asText(), KEY_A).stream()
                        .map(line -> line.path("custom_id").asText()).toList();
                assertThat(customIds).hasSize(30).doesNotHaveDuplicates();
                // Lines answered before the restart are never sent again; at most the two in flight at the stop are.
                assertThat(upstream.total()).isLessThanOrEqualTo(30 + 2);
                assertThat(finishedBeforeRestart).isGreaterThanOrEqualTo(6);
            }
        }
    }

    static String uploadLines(RunningGateway gateway, String content, String key) {
        com.fasterxml.jackson.databind.JsonNode file = json(upload(gateway, "in.jsonl", "batch", content, key).body());
        assertThat(file.path("id").asText()).as(file.toString()).startsWith("file-");
        return file.path("id").asText();
    }

    static String create(RunningGateway gateway, String fileId, String endpoint, String key) {
        java.net.http.HttpResponse<String> created = gateway.post("/v1/batches", "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\""
                + endpoint + "\",\"completion_window\":\"24h\"}", "x-bf-vk", key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return json(created.body()).path("id").asText();
    }

    static JsonNode batch(RunningGateway gateway, String id, String key) {
        return json(gateway.send(gateway.request("/v1/batches/" + id, "x-bf-vk", key).GET()).body());
    }

    static JsonNode awaitFinal(RunningGateway gateway, String id, String key) {
        return Polling.until(() -> batch(gateway, id, key),
                batch -> List.of("completed", "failed", "expired", "cancelled").contains(batch.path("status").asText()), Duration.ofSeconds(30));
    }

    static List<JsonNode> download(RunningGateway gateway, String fileId, String key) {
        java.net.http.HttpResponse<String> content = gateway.send(gateway.request("/v1/files/" + fileId + "/content", "x-bf-vk", key).GET());
        assertThat(content.statusCode()).as(content.body()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : content.body().split("\n")) {
            if (!line.isBlank()) {
                lines.add(json(line));
            }
        }
        return lines;
    }

    private static List<JsonNode> jsonLines(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).map(RunningGateway::json).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode byCustomId(List<JsonNode> lines, String customId) {
        return lines.stream().filter(line -> line.path("custom_id").asText().equals(customId)).findFirst().orElseThrow();
    }

    private static void assertRefused(RunningGateway gateway, String body, String message) {
        java.net.http.HttpResponse<String> refused = gateway.post("/v1/batches", body, "x-bf-vk", KEY_A);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused.body()).at("/error/message").asText()).contains(message);
    }
}
