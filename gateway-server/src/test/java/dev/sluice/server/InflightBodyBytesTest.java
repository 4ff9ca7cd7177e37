package dev.sluice.server;

import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RawConnection;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes of request bodies held at once are bounded ({@code server.max_inflight_body_bytes}), over real HTTP: a body
 * that would go over is refused with 503 and {@code Retry-After}, one over the bound on its own with 413, and a request
 * gives its bytes back however it ends. That last part is shown by a body of the whole budget passing afterwards.
 */
class InflightBodyBytesTest {

    private static final int BUDGET = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.fromYaml("""
                server: {port: 0, max_body_bytes: 4194304, max_inflight_body_bytes: %d, read_timeout_seconds: 1}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo], chunk_gap_ms: 200}
                """.formatted(BUDGET, TestDatabases.h2InMemory()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesABodyLargerThanTheWholeBudgetWith413() {
        HttpResponse<String> answer = gateway.post("/v1/chat/completions", "x".repeat(BUDGET + 1));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(json(answer.body()).path("error").path("message").asText()).contains("server.max_inflight_body_bytes");
        assertTheWholeBudgetIsFree();
    }

    @Test
    void refusesABodyThatWouldOverfillTheBudgetWith503AndRetryAfter() {
        try (RawConnection holder = RawConnection.open(gateway.port())) {
            holder.write(RawConnection.postHead("/v1/chat/completions", "application/json", 700 * 1024) + "{\"model\":");
            awaitHeld();

            HttpResponse<String> refused = gateway.post("/v1/chat/completions", "x".repeat(500 * 1024));

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Connection")).as("the unread body is not read on").hasValue("close");
            assertThat(json(refused.body()).path("error").path("code").asText()).isEqualTo("server_busy");
        }
        assertTheWholeBudgetIsFree();
    }

    @Test
    void givesTheBytesBackWhenTheRequestIsAnswered() {
        assertThat(gateway.chat("demo/echo", "hello").statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/chat/completions", "{not json").statusCode()).isEqualTo(400);

        assertTheWholeBudgetIsFree();
    }

    @Test
    void givesTheBytesBackWhenTheCallerLeavesMidBody() {
        try (RawConnection leaving = RawConnection.open(gateway.port())) {
            leaving.write(RawConnection.postHead("/v1/chat/completions", "application/json", 900 * 1024) + "{\"model\":");
            awaitHeld();
        }

        assertTheWholeBudgetIsFree();
    }

    @Test
    void givesTheBytesBackWhenTheBodyTimesOut() {
        try (RawConnection slow = RawConnection.open(gateway.port())) {
            slow.write(RawConnection.postHead("/v1/chat/completions", "application/json", 900 * 1024) + "{\"model\":");

            assertThat(slow.readResponse(WAIT)).startsWith("HTTP/1.1 408");
        }
        assertTheWholeBudgetIsFree();
    }

    @Test
    void givesTheBytesBackWhenTheCallerLeavesMidStream() {
        String body = "{\"model\":\"demo/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five six"
                + " seven eight nine ten\"}],\"padding\":\"" + "p".repeat(900 * 1024) + "\"}";
        try (RawConnection leaving = RawConnection.open(gateway.port())) {
            leaving.write(RawConnection.postHead("/v1/chat/completions", "application/json", body.length()) + body);

            assertThat(leaving.readResponse(WAIT)).startsWith("HTTP/1.1 200");
            awaitHeld();
        }

        assertTheWholeBudgetIsFree();
    }

    /** Waits until the server holds some of the budget, so that what follows meets a held body. */
    private static void awaitHeld() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (gateway.server().inflightBodyBytes() > 0) {
                return;
            }
            sleep(10);
        }
        throw new AssertionError("the server never held a body");
    }

    /** A body of the whole budget is read (and then found not to be JSON) rather than refused as over the budget. */
    private static void assertTheWholeBudgetIsFree() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gateway.server().inflightBodyBytes() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(gateway.server().inflightBodyBytes()).isZero();
        HttpResponse<String> whole = gateway.post("/v1/chat/completions", "x".repeat(BUDGET));
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(400);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
