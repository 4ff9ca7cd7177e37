package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.CountingUpstream;
import dev.sluice.server.support.GatewayProcess;
import dev.sluice.server.support.Polling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway process killed with {@code kill -9} again and again while it runs a batch and a queue of jobs, on the
 * embedded H2 default and on PostgreSQL: after each restart the work goes on, every line and job ends exactly once,
 * and what had finished (was committed) before a kill is never sent again; only what was in flight may be.
 */
class CrashSuiteTest {

    private static final int LINES = 60;
    private static final int JOBS = 16;
    /** Lines of the batch, and jobs, in flight at once: what a kill may cut short, and so send again. */
    private static final int IN_FLIGHT = 4;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(90);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedAgainAndAgainOnH2EveryLineAndJobEndsOnceAndNothingFinishedIsSentAgain(@TempDir Path directory) throws IOException {
        crashAndResume(TestDatabases.h2File(directory), directory);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedAgainAndAgainOnPostgresEveryLineAndJobEndsOnceAndNothingFinishedIsSentAgain(@TempDir Path directory) throws IOException {
        TestDatabases.PostgresDatabase database = TestDatabases.postgres();
        try {
            crashAndResume(database.url(), directory);
        } finally {
            database.drop();
        }
    }

    private static void crashAndResume(String storeUrl, Path directory) throws IOException {
        try (CountingUpstream upstream = new CountingUpstream(Duration.ofMillis(40))) {
            Path config = directory.resolve("sluice.yaml");
            // Short leases: a restarted instance (a new owner) takes the killed one's work over within seconds.
            Files.writeString(config, """
                    server: {host: 127.0.0.1, port: 0}
                    store: {url: "%s", max_connections: 4}
                    providers:
                      counted: {type: openai, base_url: "%s"}
                    async: {max_concurrency: %d, lease_seconds: 2}
                    batch: {max_concurrency_per_batch: %d, max_active_batches: 1, lease_seconds: 2}
                    """.formatted(storeUrl, upstream.baseUrl(), IN_FLIGHT, IN_FLIGHT));

            GatewayProcess first = start(config, directory, 1);
            String lines = IntStream.range(0, LINES).mapToObj(i -> BatchesApiTest.chatLine("line-" + i, "counted/m", "line " + i))
                    .collect(Collectors.joining());
            String file = json(first.uploadBatchFile(lines).body()).path("id").asText();
            String batch = json(first.post("/v1/batches", "{\"input_file_id\":\"" + file
                    + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}").body()).path("id").asText();
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(json(first.post("/v1/async/chat/completions",
                        "{\"model\":\"counted/m\",\"messages\":[{\"role\":\"user\",\"content\":\"job " + i + "\"}]}").body()).path("id").asText());
            }

            // Killed at once (the batch validating, jobs just claimed), then twice with the batch under way.
            first.kill();
            GatewayProcess second = start(config, directory, 2);
            awaitCompleted(second, batch, 10);
            second.kill();
            GatewayProcess third = start(config, directory, 3);
            awaitCompleted(third, batch, 35);
            third.kill();

            try (GatewayProcess last = start(config, directory, 4)) {
                JsonNode done = Polling.until(() -> json(last.get("/v1/batches/" + batch).body()),
                        current -> current.path("status").asText().equals("completed"), FINISH);
                assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(LINES);
                List<String> customIds = json("[" + String.join(",", last.get("/v1/files/" + done.path("output_file_id").asText()
                        + "/content").body().strip().split("\n")) + "]").findValuesAsText("custom_id");
                assertThat(customIds).as("each line once in the output").hasSize(LINES).doesNotHaveDuplicates();
                for (String id : jobs) {
                    JsonNode job = Polling.until(() -> json(last.get("/v1/async/chat/completions/" + id).body()),
                            current -> current.path("status").asText().equals("completed"), FINISH);
                    assertThat(job.at("/result/choices/0/message/content").asText()).isEqualTo("counted");
                }
            }

            Map<String, Integer> calls = upstream.callsByContent();
            assertThat(calls.keySet()).as("every line and job reached the provider")
                    .containsAll(IntStream.range(0, LINES).mapToObj(i -> "line " + i).toList())
                    .containsAll(IntStream.range(0, JOBS).mapToObj(i -> "job " + i).toList());
            Map<String, Integer> resent = new HashMap<>();
            calls.forEach((content, count) -> {
                if (count > 1) {
                    resent.put(content, count - 1);
                }
            });
            // Three kills, each cutting short at most IN_FLIGHT lines and IN_FLIGHT jobs: anything beyond that was
            // finished, and committed, before a kill, and was lost (H2 delaying its writes did exactly that).
            assertThat(resent.values().stream().mapToInt(Integer::intValue).sum()).as("calls sent again: %s", resent)
                    .isLessThanOrEqualTo(3 * 2 * IN_FLIGHT);
        }
    }

    private static GatewayProcess start(Path config, Path directory, int number) {
        return GatewayProcess.start(config, directory.resolve("gateway-" + number + ".err")).awaitListening(START);
    }

    private static void awaitCompleted(GatewayProcess gateway, String batch, int lines) {
        Polling.until(() -> json(gateway.get("/v1/batches/" + batch).body()).at("/request_counts/completed").asInt() >= lines, FINISH);
    }
}
