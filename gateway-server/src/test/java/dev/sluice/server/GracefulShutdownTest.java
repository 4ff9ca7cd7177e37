package dev.sluice.server;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Closing the server, as SIGTERM does: no new connections, requests under way finish, running jobs are handed back. */
class GracefulShutdownTest {

    @Test
    void letsAStreamUnderWayFinishRefusesNewConnectionsAndHandsRunningJobsBack(@TempDir Path directory) throws Exception {
        String store = TestDatabases.h2File(directory);
        RunningGateway gateway = RunningGateway.fromYaml("""
                server: {port: 0, shutdown_grace_seconds: 10}
                store: {url: "%s"}
                providers:
                  slow: {type: mock, chunk_gap_ms: 150}
                  stuck: {type: mock, latency_ms: 60000}
                """.formatted(store));
        int port = gateway.port();

        String jobId = json(gateway.post("/v1/async/chat/completions",
                "{\"model\":\"stuck/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"never done\"}]}").body()).path("id").asText();
        Polling.until(() -> json(gateway.get("/v1/async/chat/completions/" + jobId).body()).path("status").asText(),
                "processing"::equals, Duration.ofSeconds(10));

        // Headers arrive with the first event; the other five take 150 ms each.
        HttpResponse<InputStream> stream = gateway.client().sendAsync(gateway.request("/v1/chat/completions")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow/echo\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> readAll(stream.body()));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

        Polling.until(() -> refuses(port), Duration.ofSeconds(5));
        String events = body.get(10, TimeUnit.SECONDS);
        assertThat(events).contains("six").endsWith("data: [DONE]\n\n").doesNotContain("event: error");
        closing.get(30, TimeUnit.SECONDS);

        AsyncJob job = R2dbcStore.open(store, 2)
                .flatMap(reopened -> reopened.jobs().findById(jobId).flatMap(found -> reopened.close().thenReturn(found)))
                .block(Duration.ofSeconds(30));
        assertThat(job).isNotNull();
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
    }

    private static boolean refuses(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
