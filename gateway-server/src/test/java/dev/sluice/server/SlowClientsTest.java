package dev.sluice.server;

import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RawConnection;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow sender cannot hold a connection for ever: headers trickled a byte at a time are cut off at
 * {@code server.request_header_timeout_seconds}, a body at {@code server.read_timeout_seconds} (408), a kept-alive
 * connection with no request is closed at {@code server.idle_timeout_seconds}; a stream that takes longer than all of
 * them while it writes is not cut.
 */
class SlowClientsTest {

    private static final Duration TRICKLE = Duration.ofMillis(250);

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.fromYaml("""
                server: {port: 0, read_timeout_seconds: 1, idle_timeout_seconds: 1, request_header_timeout_seconds: 1}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo], chunk_gap_ms: 400}
                """.formatted(TestDatabases.h2InMemory()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void closesAConnectionWhoseHeadersTrickle() {
        try (RawConnection slow = RawConnection.open(gateway.port())) {
            long start = System.nanoTime();
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(100);
            boolean closed = false;
            for (int i = 0; i < head.length() && !closed; i++) {
                closed = !slow.write(head.substring(i, i + 1)) || slow.closedWithin(TRICKLE);
            }

            assertThat(closed).as("closed while the headers trickled").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void answers408WhenTheBodyTrickles() {
        try (RawConnection slow = RawConnection.open(gateway.port())) {
            slow.write(RawConnection.postHead("/v1/chat/completions", "application/json", 1000));
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20 && slow.write("{"); i++) {
                    sleep(TRICKLE.toMillis());
                }
            });

            String answer = slow.readResponse(Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 408").contains("server.read_timeout_seconds").contains("\"error\"");
            assertThat(slow.closedWithin(Duration.ofSeconds(5))).as("closed after the refusal").isTrue();
            trickling.cancel(true);
        }
    }

    @Test
    void closesAKeptAliveConnectionLeftIdle() {
        try (RawConnection idle = RawConnection.open(gateway.port())) {
            idle.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(idle.readResponse(Duration.ofSeconds(5))).startsWith("HTTP/1.1 200");

            assertThat(idle.closedWithin(Duration.ofSeconds(4))).isTrue();
        }
    }

    @Test
    void closesAConnectionThatNeverSendsARequest() {
        try (RawConnection silent = RawConnection.open(gateway.port())) {
            assertThat(silent.closedWithin(Duration.ofSeconds(4))).isTrue();
        }
    }

    @Test
    void letsAStreamRunLongerThanEveryTimeout() {
        long start = System.nanoTime();

        HttpResponse<String> stream = gateway.post("/v1/chat/completions", """
                {"model":"demo/echo","stream":true,"messages":[{"role":"user","content":"one two three four five six seven"}]}""");

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("seven").contains("data: [DONE]");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
