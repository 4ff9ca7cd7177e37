package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.Sql;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.CountingUpstream;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import static dev.sluice.server.BatchesApiTest.awaitFinal;
import static dev.sluice.server.BatchesApiTest.batch;
import static dev.sluice.server.BatchesApiTest.chatLine;
import static dev.sluice.server.BatchesApiTest.create;
import static dev.sluice.server.BatchesApiTest.download;
import static dev.sluice.server.BatchesApiTest.lines;
import static dev.sluice.server.BatchesApiTest.uploadLines;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work that fails must end (issue 15), over real HTTP on H2 and PostgreSQL: every job and batch reaches a final state
 * the caller can read, with an error that says why, and sends a bounded number of calls upstream, whatever fails.
 */
class WorkEndsTest {

    private static final String KEY = "sk-bf-ender-0009";
    private static final String CHAT = "/v1/chat/completions";
    private static final Duration FINISH = Duration.ofSeconds(30);
    /** A lease lapsed long ago. */
    private static final long LAPSED = 1L;

    /** A gateway in front of {@code upstream} as provider {@code counted}, with small limits that tests can reach. */
    private static String config(String storeUrl, CountingUpstream upstream, int linesAtOnce) {
        return """
                server: {port: 0}
                store: {url: "%s"}
                providers:
                  counted: {type: openai, base_url: "%s"}
                virtual_keys:
                  - {name: ender, value: %s}
                files: {max_bytes: 4096}
                async: {lease_seconds: 2}
                batch: {max_concurrency_per_batch: %d, lease_seconds: 2, max_lines: 3, max_line_bytes: 2048}
                """.formatted(storeUrl, upstream.baseUrl(), KEY, linesAtOnce);
    }

    private static void withGateway(StoreKind kind, Duration upstreamDelay, String answer, int linesAtOnce,
                                    BiConsumer<RunningGateway, Context> test) {
        withGateway(kind, call -> upstreamDelay, answer, linesAtOnce, test);
    }

    private static void withGateway(StoreKind kind, IntFunction<Duration> delayOfCall, String answer, int linesAtOnce,
                                    BiConsumer<RunningGateway, Context> test) {
        try (StoreKind.Database database = kind.create();
             CountingUpstream upstream = new CountingUpstream(delayOfCall, answer);
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), upstream, linesAtOnce))) {
            test.accept(gateway, new Context(database.url(), upstream));
        }
    }

    private static void withGateway(StoreKind kind, Duration upstreamDelay, BiConsumer<RunningGateway, Context> test) {
        withGateway(kind, upstreamDelay, CountingUpstream.ANSWER, 1, test);
    }

    private record Context(String storeUrl, CountingUpstream upstream) {
    }

    // ---- async jobs ----

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesAResultTtlBeyondThirtyDaysAndSendsNothingUpstream(StoreKind kind) {
        withGateway(kind, Duration.ZERO, (gateway, context) -> {
            String body = "{\"model\":\"counted/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

            HttpResponse<String> refused = gateway.post("/v1/async/chat/completions", body, "x-bf-vk", KEY,
                    "x-bf-async-job-result-ttl", "9223372036854775");
            HttpResponse<String> overflowing = gateway.post("/v1/async/chat/completions", body, "x-bf-vk", KEY,
                    "x-bf-async-job-result-ttl", "99999999999999999999999");
            HttpResponse<String> longest = gateway.post("/v1/async/chat/completions", body, "x-bf-vk", KEY,
                    "x-bf-async-job-result-ttl", "2592000");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(json(refused.body()).at("/error/message").asText()).contains("9223372036854775 seconds").contains("30 days");
            assertThat(overflowing.statusCode()).as(overflowing.body()).isEqualTo(400);
            assertThat(longest.statusCode()).as(longest.body()).isEqualTo(202);
            String id = json(longest.body()).path("id").asText();
            JsonNode done = Polling.until(() -> json(gateway.send(gateway.request("/v1/async/chat/completions/" + id, "x-bf-vk", KEY).GET()).body()),
                    job -> job.path("status").asText().equals("completed"), FINISH);
            assertThat(Duration.between(Instant.parse(done.path("completed_at").asText()), Instant.parse(done.path("expires_at").asText())))
                    .isEqualTo(Duration.ofDays(30));
            assertThat(context.upstream().total()).as("only the accepted job was sent").isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failsAJobWhoseLeaseLapsedAfterItsLastAttempt(StoreKind kind) {
        withGateway(kind, Duration.ofSeconds(20), (gateway, context) -> {
            String id = json(gateway.post("/v1/async/chat/completions",
                    "{\"model\":\"counted/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-bf-vk", KEY).body()).path("id").asText();
            Polling.until(() -> context.upstream().total() == 1, FINISH);

            // As if the instance holding it had died on its fifth (last) attempt: this one loses the lease and stops.
            Sql.execute(context.storeUrl(), "UPDATE async_jobs SET lease_owner = 'dead-instance', lease_expires_at = " + LAPSED
                    + ", attempts = 5 WHERE id = '" + id + "'");

            JsonNode failed = Polling.until(() -> json(gateway.send(gateway.request("/v1/async/chat/completions/" + id, "x-bf-vk", KEY).GET()).body()),
                    job -> job.path("status").asText().equals("failed"), FINISH);
            assertThat(failed.at("/error/error/code").asText()).as(failed.toString()).isEqualTo("attempts_exhausted");
            assertThat(failed.at("/error/error/message").asText()).contains("5 attempts");
            assertThat(context.upstream().total()).as("never claimed again").isEqualTo(1);
        });
    }

    // ---- batches: limits checked before any line runs ----

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failsABatchPastItsLimitsBeforeSendingAnyLine(StoreKind kind) {
        withGateway(kind, Duration.ZERO, (gateway, context) -> {
            assertFailsValidation(gateway, lines(4, "counted/m"), "too_many_lines", "more than 3 requests");
            assertFailsValidation(gateway, chatLine("long", "counted/m", "x".repeat(3000)), "line_too_long", "2048 bytes");
            assertFailsValidation(gateway, chatLine("c".repeat(600), "counted/m", "x"), "invalid_custom_id", "600 characters");
            assertFailsValidation(gateway, chatLine("nul\\u0000id", "counted/m", "x"), "invalid_custom_id", "control character");
            String hugeUrl = "{\"custom_id\":\"u\",\"method\":\"POST\",\"url\":\"/" + "v".repeat(1500)
                    + "\",\"body\":{\"model\":\"counted/m\",\"messages\":[]}}\n";
            JsonNode failed = assertFailsValidation(gateway, hugeUrl, "invalid_url", "does not match");
            assertThat(failed.at("/errors/data/0/message").asText()).as("quoted, not copied whole").hasSizeLessThan(300);

            assertThat(context.upstream().total()).isZero();
        });
    }

    private static JsonNode assertFailsValidation(RunningGateway gateway, String content, String code, String message) {
        String id = create(gateway, uploadLines(gateway, content, KEY), CHAT, KEY);
        JsonNode done = awaitFinal(gateway, id, KEY);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
        assertThat(done.at("/errors/data/0/code").asText()).as(done.toString()).isEqualTo(code);
        assertThat(done.at("/errors/data/0/message").asText()).contains(message);
        return done;
    }

    // ---- batches: what the gateway writes is not the caller's upload ----

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void writesAnOutputFileLargerThanTheUploadLimit(StoreKind kind) {
        // Each answer is about 1.5 KiB: three of them make an output file well over the 4 KiB upload limit.
        String bigAnswer = CountingUpstream.ANSWER.replace("\"content\":\"counted\"", "\"content\":\"" + "w".repeat(1500) + "\"");
        withGateway(kind, Duration.ZERO, bigAnswer, 3, (gateway, context) -> {
            String id = create(gateway, uploadLines(gateway, lines(3, "counted/m"), KEY), CHAT, KEY);

            JsonNode done = awaitFinal(gateway, id, KEY);

            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            List<JsonNode> output = download(gateway, done.path("output_file_id").asText(), KEY);
            assertThat(output).hasSize(3);
            assertThat(output.toString().length()).isGreaterThan(4096);
            assertThat(context.upstream().total()).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void keepsAModelNameTheStoreCannotHoldOutOfTheBatchNotTheBatchOutOfItsEnd(StoreKind kind) {
        String odd = "m".repeat(300) + "\\u0000";
        withGateway(kind, Duration.ZERO, CountingUpstream.ANSWER.replace("\"model\":\"m\"", "\"model\":\"" + odd + "\""), 3, (gateway, context) -> {
            String id = create(gateway, uploadLines(gateway, lines(3, "counted/m"), KEY), CHAT, KEY);

            JsonNode done = awaitFinal(gateway, id, KEY);

            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(done.path("request_counts").path("completed").asInt()).isEqualTo(3);
            assertThat(download(gateway, done.path("output_file_id").asText(), KEY))
                    .allSatisfy(line -> assertThat(line.at("/response/body/model").asText()).startsWith("mmm"));
            assertThat(context.upstream().total()).as("no line was sent twice").isEqualTo(3);
        });
    }

    // ---- batches: the input file ----

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesToDeleteTheInputFileOfABatchThatHasNotEnded(StoreKind kind) {
        withGateway(kind, Duration.ofMillis(400), (gateway, context) -> {
            String file = uploadLines(gateway, lines(3, "counted/m"), KEY);
            String id = create(gateway, file, CHAT, KEY);

            HttpResponse<String> refused = gateway.send(gateway.request("/v1/files/" + file, "x-bf-vk", KEY).DELETE());

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("file_in_use");
            assertThat(json(refused.body()).at("/error/message").asText()).contains(file).contains("batch");
            assertThat(awaitFinal(gateway, id, KEY).path("status").asText()).isEqualTo("completed");
            assertThat(gateway.send(gateway.request("/v1/files/" + file, "x-bf-vk", KEY).DELETE()).statusCode()).isEqualTo(200);
            assertThat(context.upstream().total()).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failsABatchWhoseInputFileVanishedWhileItWaitedKeepingWhatFinished(StoreKind kind, @TempDir Path directory) {
        String storeUrl = kind == StoreKind.H2 ? TestDatabases.h2File(directory) : null;
        try (StoreKind.Database database = kind == StoreKind.H2 ? new StoreKind.Database(storeUrl, () -> { }) : kind.create();
             CountingUpstream upstream = new CountingUpstream(Duration.ofMillis(300))) {
            String config = config(database.url(), upstream, 1).replace("max_lines: 3", "max_lines: 10");
            String id;
            String file;
            int finished;
            try (RunningGateway first = RunningGateway.fromYaml(config)) {
                file = uploadLines(first, lines(10, "counted/m"), KEY);
                id = create(first, file, CHAT, KEY);
                finished = Polling.until(() -> batch(first, id, KEY).at("/request_counts/completed").asInt(), n -> n >= 2, FINISH);
            }
            int sentBeforeRestart = upstream.total();
            // Gone behind the gateway's back (an operator's cleanup, a restore): the batch cannot go on.
            Sql.execute(database.url(), "DELETE FROM file_chunks WHERE file_id = '" + file + "'");
            Sql.execute(database.url(), "DELETE FROM files WHERE id = '" + file + "'");

            try (RunningGateway second = RunningGateway.fromYaml(config)) {
                JsonNode done = awaitFinal(second, id, KEY);

                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
                assertThat(done.at("/errors/data/0/code").asText()).isEqualTo("input_file_missing");
                assertThat(download(second, done.path("output_file_id").asText(), KEY)).as("what finished is kept")
                        .hasSizeGreaterThanOrEqualTo(finished);
                assertThat(upstream.total()).as("nothing sent after the restart").isEqualTo(sentBeforeRestart);
            }
        }
    }

    // ---- batches: cancel and attempts ----

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesToCancelAFinalizingBatch(StoreKind kind) {
        withGateway(kind, Duration.ofSeconds(20), (gateway, context) -> {
            String id = create(gateway, uploadLines(gateway, lines(1, "counted/m"), KEY), CHAT, KEY);
            Polling.until(() -> context.upstream().total() == 1, FINISH);
            // Another instance holds it, writing its files.
            Sql.execute(context.storeUrl(), "UPDATE batches SET status = 'finalizing', lease_owner = 'elsewhere', lease_expires_at = "
                    + Long.MAX_VALUE / 2 + " WHERE id = '" + id + "'");

            HttpResponse<String> refused = gateway.post("/v1/batches/" + id + "/cancel", "", "x-bf-vk", KEY);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("batch_finalizing");
            assertThat(batch(gateway, id, KEY).path("status").asText()).isEqualTo("finalizing");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLastAttemptOfABatchWritesWhatFinishedAndFailsIt(StoreKind kind) {
        // The first line is answered at once; the second hangs, holding the live run (one line at a time) until it
        // loses its lease and is cancelled, so that every line sent before the last attempt is counted before it.
        IntFunction<Duration> firstQuickThenHanging = call -> call == 1 ? Duration.ZERO : Duration.ofSeconds(60);
        withGateway(kind, firstQuickThenHanging, CountingUpstream.ANSWER, 1, (gateway, context) -> {
            String id = create(gateway, uploadLines(gateway, lines(3, "counted/m"), KEY), CHAT, KEY);
            Polling.until(() -> context.upstream().total() == 2, FINISH);

            // As if the instances that held it had died four times: the next claim is its fifth and last.
            Sql.execute(context.storeUrl(), "UPDATE batches SET lease_owner = 'dead-instance', lease_expires_at = " + LAPSED
                    + ", attempts = 4 WHERE id = '" + id + "'");
            int sentBefore = context.upstream().total();

            JsonNode done = awaitFinal(gateway, id, KEY);

            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
            assertThat(done.at("/errors/data/0/code").asText()).isEqualTo("attempts_exhausted");
            int finished = done.at("/request_counts/completed").asInt();
            assertThat(download(gateway, done.path("output_file_id").asText(), KEY)).hasSize(finished);
            assertThat(finished).as("the first line's answer is kept").isEqualTo(1);
            assertThat(context.upstream().total()).as("the last attempt runs no line").isEqualTo(sentBefore);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failsABatchWhoseLastAttemptDiedToo(StoreKind kind) {
        withGateway(kind, Duration.ofSeconds(20), (gateway, context) -> {
            String id = create(gateway, uploadLines(gateway, lines(1, "counted/m"), KEY), CHAT, KEY);
            Polling.until(() -> context.upstream().total() == 1, FINISH);

            Sql.execute(context.storeUrl(), "UPDATE batches SET lease_owner = 'dead-instance', lease_expires_at = " + LAPSED
                    + ", attempts = 5 WHERE id = '" + id + "'");

            JsonNode done = awaitFinal(gateway, id, KEY);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
            assertThat(done.at("/errors/data/0/code").asText()).isEqualTo("attempts_exhausted");
            assertThat(context.upstream().total()).isEqualTo(1);
        });
    }
}
