package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.CountingUpstream;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.server.AsyncJobsTest.awaitFinal;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** How jobs run: a bounded number at once, detached from their submitters, and none lost across a restart. */
class AsyncExecutionTest {

    private static final String CHAT = "{\"model\":\"counted/m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

    private static String config(String storeUrl, String upstream, int maxConcurrency) {
        return """
                server: {port: 0}
                store: {url: "%s"}
                async: {max_concurrency: %d}
                providers:
                  counted: {type: openai, base_url: "%s"}
                """.formatted(storeUrl, maxConcurrency, upstream);
    }

    @Test
    void runsJobsInParallelUpToTheBound() {
        try (CountingUpstream upstream = new CountingUpstream(Duration.ofMillis(150));
             StoreKind.Database database = StoreKind.H2.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), upstream.baseUrl(), 3))) {
            List<String> ids = submit(gateway, 15);

            for (String id : ids) {
                assertThat(json(awaitFinal(gateway, "/v1/async/chat/completions/" + id).body()).path("status").asText()).isEqualTo("completed");
            }
            assertThat(upstream.total()).isEqualTo(15);
            assertThat(upstream.peak()).isEqualTo(3);
        }
    }

    @Test
    void aRestartInTheMiddleOfAQueueLosesNoJobOnH2(@TempDir Path directory) {
        restartInTheMiddle(TestDatabases.h2File(directory));
    }

    @Test
    void aRestartInTheMiddleOfAQueueLosesNoJobOnPostgres() {
        try (StoreKind.Database database = StoreKind.POSTGRES.create()) {
            restartInTheMiddle(database.url());
        }
    }

    private static void restartInTheMiddle(String storeUrl) {
        try (CountingUpstream upstream = new CountingUpstream(Duration.ofMillis(200))) {
            List<String> ids;
            try (RunningGateway first = RunningGateway.fromYaml(config(storeUrl, upstream.baseUrl(), 2))) {
                ids = submit(first, 12);
            }
            // The first instance stopped with most of the queue still pending or running.
            assertThat(upstream.total()).isLessThan(12);
            try (RunningGateway second = RunningGateway.fromYaml(config(storeUrl, upstream.baseUrl(), 2))) {
                for (String id : ids) {
                    JsonNode done = json(awaitFinal(second, "/v1/async/chat/completions/" + id).body());
                    assertThat(done.path("status").asText()).isEqualTo("completed");
                    assertThat(done.at("/result/choices/0/message/content").asText()).isEqualTo("counted");
                }
            }
        }
    }

    private static List<String> submit(RunningGateway gateway, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(json(gateway.post("/v1/async/chat/completions", CHAT).body()).path("id").asText());
        }
        return ids;
    }
}
