package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.GatewayProcess;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway processes on one PostgreSQL, as operators run them behind a load balancer: they split a queue of async
 * jobs and a pair of batches between them, and when one is killed outright, the other takes over what it held (once
 * its leases lapse) and finishes everything, each batch line answered exactly once.
 */
class MultiInstanceTest {

    private static final int JOBS = 12;
    private static final int LINES = 16;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoProcessesSplitJobsAndBatchesAndTheSurvivorFinishesAKilledOnesWork(@TempDir Path directory) throws IOException {
        TestDatabases.assumePostgres();
        TestDatabases.PostgresDatabase database = TestDatabases.postgres();
        Path config = directory.resolve("sluice.yaml");
        // Every mock answer takes 700 ms, so that work is still under way when an instance is killed; short leases
        // let the survivor take the killed instance's work over within seconds.
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: 0}
                store: {url: "%s", max_connections: 4}
                providers:
                  demo: {type: mock, models: [echo], latency_ms: 700}
                async: {max_concurrency: 2, lease_seconds: 3}
                batch: {max_concurrency_per_batch: 2, max_active_batches: 1, lease_seconds: 3}
                """.formatted(database.url()));
        GatewayProcess first = GatewayProcess.start(config, directory.resolve("first.err"));
        GatewayProcess second = GatewayProcess.start(config, directory.resolve("second.err"));
        try {
            first.awaitListening(START);
            second.awaitListening(START);

            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                JsonNode job = json(first.post("/v1/async/chat/completions",
                        "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"job " + i + "\"}]}").body());
                jobs.add(job.path("id").asText());
            }
            String lines = IntStream.range(0, LINES).mapToObj(i -> BatchesApiTest.chatLine("line-" + i, "demo/echo", "line " + i))
                    .collect(Collectors.joining());
            String file = json(first.uploadBatchFile(lines).body()).path("id").asText();
            List<String> batches = List.of(createBatch(first, file), createBatch(first, file));

            // Each instance runs one batch at most, so each takes one; the job queue is shared by both. The first is
            // killed while its batch is half done.
            Polling.until(() -> running(first) && running(second), Duration.ofSeconds(30));
            PrometheusText beforeKill = metrics(first);
            first.kill();

            for (String id : jobs) {
                JsonNode done = Polling.until(() -> json(second.get("/v1/async/chat/completions/" + id).body()),
                        job -> job.path("status").asText().equals("completed"), FINISH);
                assertThat(done.at("/result/choices/0/message/content").asText()).startsWith("job ");
            }
            for (String id : batches) {
                JsonNode batch = Polling.until(() -> json(second.get("/v1/batches/" + id).body()),
                        found -> found.path("status").asText().equals("completed"), FINISH);
                assertThat(batch.at("/request_counts/completed").asInt()).isEqualTo(LINES);
                assertThat(customIds(second, batch.path("output_file_id").asText()))
                        .hasSize(LINES)
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, LINES).mapToObj(i -> "line-" + i).toList());
            }

            // Both instances did jobs and batch lines; the survivor finished both batches, the killed one's included.
            // (What the killed one did between its last scrape and its death is not seen, hence the bounds.)
            PrometheusText survivor = metrics(second);
            assertThat(beforeKill.sum("sluice_async_jobs_total", "state", "completed")).isPositive();
            assertThat(survivor.sum("sluice_async_jobs_total", "state", "completed")).isPositive();
            assertThat(survivor.sum("sluice_batches_total", "state", "completed")).isEqualTo(2);
            assertThat(beforeKill.sum("sluice_batch_lines_total", "state", "succeeded")).isPositive();
            assertThat(survivor.sum("sluice_batch_lines_total", "state", "succeeded")).isGreaterThanOrEqualTo(LINES);
            assertThat(beforeKill.sum("sluice_batch_lines_total", "state", "succeeded")
                    + survivor.sum("sluice_batch_lines_total", "state", "succeeded")).isLessThanOrEqualTo(2.0 * LINES);

            second.close();
            List<String> accessLog = second.stdout().stream().filter(line -> line.startsWith("{")).toList();
            assertThat(accessLog).isNotEmpty();
            for (String line : accessLog) {
                JsonNode entry = json(line);
                assertThat(entry.path("id").asText()).isNotEmpty();
                assertThat(entry.path("route").asText()).startsWith("/");
            }
        } finally {
            first.kill();
            second.kill();
            database.drop();
        }
    }

    private static String createBatch(GatewayProcess gateway, String file) {
        return json(gateway.post("/v1/batches", "{\"input_file_id\":\"" + file
                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}").body()).path("id").asText();
    }

    /** Whether the instance runs a batch and has finished at least one job and one batch line. */
    private static boolean running(GatewayProcess gateway) {
        PrometheusText metrics = metrics(gateway);
        return metrics.sum("sluice_batches_running") == 1 && metrics.sum("sluice_async_jobs_total", "state", "completed") >= 1
                && metrics.sum("sluice_batch_lines_total", "state", "succeeded") >= 1;
    }

    private static PrometheusText metrics(GatewayProcess gateway) {
        return new PrometheusText(gateway.get("/metrics").body());
    }


    private static List<String> customIds(GatewayProcess gateway, String fileId) {
        String content = gateway.get("/v1/files/" + fileId + "/content").body();
        return content.lines().filter(line -> !line.isBlank()).map(line -> json(line).path("custom_id").asText()).toList();
    }
}
