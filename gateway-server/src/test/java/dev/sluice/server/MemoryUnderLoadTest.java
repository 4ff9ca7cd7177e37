package dev.sluice.server;

import dev.sluice.server.support.GatewayProcess;
import dev.sluice.server.support.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in a JVM of its own with a 256 MiB heap, hit at once by 200 requests of 8 MiB, 8 uploads of 24 MiB and
 * 40 slow senders: it keeps answering {@code /health}, answers every request with a 2xx or a clear 4xx/503, never runs
 * out of memory, and is still alive at the end.
 */
class MemoryUnderLoadTest {

    private static final int LARGE_BODIES = 200;
    private static final int LARGE_BODY_BYTES = 8 * 1024 * 1024;
    private static final int UPLOADS = 8;
    private static final int UPLOAD_BYTES = 24 * 1024 * 1024;
    private static final int SLOW_SENDERS = 40;
    private static final Set<String> CLEAR_ANSWERS = Set.of("200", "400", "408", "413", "503", "closed");

    @Test
    void keepsServingUnderManyLargeAndSlowRequestsWithin256MiB(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server: {port: 0, access_log: false, read_timeout_seconds: 10, upload_timeout_seconds: 20,
                         request_header_timeout_seconds: 2, idle_timeout_seconds: 5}
                store: {url: "r2dbc:h2:file:///%s"}
                providers:
                  demo: {type: mock, models: [echo]}
                files: {max_bytes: 33554432}
                """.formatted(dir.resolve("sluice").toAbsolutePath()));
        Path stderr = dir.resolve("stderr.txt");
        try (GatewayProcess gateway = GatewayProcess.start(config, stderr).awaitListening(Duration.ofSeconds(60))) {
            int port = URI.create(gateway.url("/")).getPort();
            byte[] chat = chatBody(LARGE_BODY_BYTES);
            byte[] upload = uploadBody(UPLOAD_BYTES);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger healthFailures = new AtomicInteger();
            AtomicLong slowestHealthMillis = new AtomicLong();
            long start = System.nanoTime();

            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> health = clients.submit(() -> pollHealth(gateway, loading, healthFailures, slowestHealthMillis));
                List<Future<?>> load = new ArrayList<>();
                for (int i = 0; i < LARGE_BODIES; i++) {
                    load.add(clients.submit(() -> count(answers, post(port, "/v1/chat/completions", "application/json", chat))));
                }
                for (int i = 0; i < UPLOADS; i++) {
                    load.add(clients.submit(() -> count(answers, post(port, "/v1/files", "multipart/form-data; boundary=load", upload))));
                }
                for (int i = 0; i < SLOW_SENDERS; i++) {
                    boolean headers = i % 2 == 0;
                    load.add(clients.submit(() -> count(answers, headers ? trickleHeaders(port) : trickleBody(port))));
                }
                for (Future<?> request : load) {
                    request.get(50, TimeUnit.SECONDS);
                }
                loading.set(false);
                health.get(10, TimeUnit.SECONDS);
            }

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String output = String.join("\n", gateway.stdout()) + Files.readString(stderr);
            System.out.printf("memory under load: %s in %d ms; slowest /health %d ms%n", answers, took.toMillis(), slowestHealthMillis.get());
            assertThat(output).doesNotContain("OutOfMemoryError");
            assertThat(answers.keySet()).as("answers by status (closed: trickled headers cut off)").isSubsetOf(CLEAR_ANSWERS);
            assertThat(healthFailures.get()).as("/health failures under load").isZero();
            assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
            assertThat(took).isLessThan(Duration.ofSeconds(55));
        }
    }

    private static void count(Map<String, AtomicInteger> answers, String status) {
        answers.computeIfAbsent(status, key -> new AtomicInteger()).incrementAndGet();
    }

    /** The status the gateway answered, or {@code closed} for a slow sender cut off, or {@code none}. */
    private static String post(int port, String path, String contentType, byte[] body) {
        try (RawConnection connection = RawConnection.open(port)) {
            connection.write(RawConnection.postHead(path, contentType, body.length));
            // Written in pieces, stopping when the gateway has answered already (as it does when it refuses early).
            for (int at = 0; at < body.length && !connection.answered(); at += 256 * 1024) {
                if (!connection.write(Arrays.copyOfRange(body, at, Math.min(body.length, at + 256 * 1024)))) {
                    break;
                }
            }
            return status(connection.readResponse(Duration.ofSeconds(40)));
        }
    }

    private static String trickleHeaders(int port) {
        try (RawConnection slow = RawConnection.open(port)) {
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "s".repeat(200);
            for (int i = 0; i < head.length(); i++) {
                if (!slow.write(head.substring(i, i + 1)) || slow.closedWithin(Duration.ofMillis(200))) {
                    return "closed";
                }
            }
            return "none";
        }
    }

    private static String trickleBody(int port) {
        try (RawConnection slow = RawConnection.open(port)) {
            slow.write(RawConnection.postHead("/v1/chat/completions", "application/json", 100_000));
            for (int i = 0; i < 200 && !slow.answered(); i++) {
                if (!slow.write("{")) {
                    break;
                }
                sleep(200);
            }
            return status(slow.readResponse(Duration.ofSeconds(5)));
        }
    }

    private static void pollHealth(GatewayProcess gateway, AtomicBoolean loading, AtomicInteger failures, AtomicLong slowest) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (loading.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/health")))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200) {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String status(String response) {
        return response.startsWith("HTTP/1.1 ") && response.length() >= 12 ? response.substring(9, 12) : "none";
    }

    /**
     * A chat of {@code size} bytes whose bulk is a field the mock does not echo: as with a long prompt, the gateway
     * reads, parses and forwards every byte, and the answer stays small (the mock echoing megabytes would measure the
     * mock's own copies, not the gateway).
     */
    private static byte[] chatBody(int size) {
        String head = "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"padding\":\"";
        String tail = "\"}";
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, body, 0, head.length());
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, body, size - tail.length(), tail.length());
        return body;
    }

    private static byte[] uploadBody(int size) {
        String head = "--load\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--load\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--load--\r\n";
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, body, 0, head.length());
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, body, size - tail.length(), tail.length());
        return body;
    }
}
