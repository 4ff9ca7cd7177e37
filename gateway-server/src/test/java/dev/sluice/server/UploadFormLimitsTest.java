package dev.sluice.server;

import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RawConnection;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/files} reads small text fields, few parts and exactly one file part, answers what is wrong with a 4xx
 * in OpenAI's shape, and leaves no temporary file behind on any path: refused, too large, cut off or stored.
 */
class UploadFormLimitsTest {

    private static final String BOUNDARY = "limits-boundary";
    private static final int MAX_FILE = 256 * 1024;

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.fromYaml("""
                server: {port: 0, upload_timeout_seconds: 2}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo]}
                files: {max_bytes: %d}
                """.formatted(TestDatabases.h2InMemory(), MAX_FILE));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void storesAnUploadAndLeavesNoTemporaryFile() {
        long before = temporaryFiles();

        HttpResponse<String> stored = upload(field("purpose", "batch") + file("file", "a.jsonl", "x".repeat(100_000)));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void refusesASecondFilePart() {
        long before = temporaryFiles();

        HttpResponse<String> refused = upload(file("file", "a.jsonl", "x".repeat(100_000)) + field("purpose", "batch")
                + file("file", "b.jsonl", "y".repeat(100_000)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("more than one 'file' part");
        assertThat(json(refused.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void refusesATextFieldOver64KiB() {
        long before = temporaryFiles();

        HttpResponse<String> refused = upload(file("file", "a.jsonl", "{}") + field("purpose", "p".repeat(64 * 1024 + 1)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("'purpose' is larger than 65536 bytes");
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void refusesAFormOfTooManyParts() {
        long before = temporaryFiles();
        StringBuilder form = new StringBuilder(file("file", "a.jsonl", "{}"));
        for (int i = 0; i < 20; i++) {
            form.append(field("extra" + i, "v"));
        }

        HttpResponse<String> refused = upload(form.toString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("more than 16 parts");
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void refusesAFileOverTheLimitWith413() {
        long before = temporaryFiles();

        HttpResponse<String> refused = upload(field("purpose", "batch") + file("file", "a.jsonl", "x".repeat(MAX_FILE + 1)));

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("files.max_bytes");
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void refusesABadFieldAfterTheFileWasKept() {
        long before = temporaryFiles();

        HttpResponse<String> refused = upload(file("file", "a.jsonl", "x".repeat(100_000)) + field("purpose", "batch")
                + field("expires_after[anchor]", "tomorrow"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void leavesNoTemporaryFileWhenTheCallerLeavesMidUpload() {
        long before = temporaryFiles();
        String start = field("purpose", "batch") + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(150_000);
        try (RawConnection leaving = RawConnection.open(gateway.port())) {
            leaving.write(RawConnection.postHead("/v1/files", "multipart/form-data; boundary=" + BOUNDARY, 200_000) + start);
            sleep(300);
        }

        assertNoTemporaryFileBeyond(before);
    }

    @Test
    void answers408AndLeavesNoTemporaryFileWhenAnUploadTrickles() {
        long before = temporaryFiles();
        String start = field("purpose", "batch") + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(100_000);
        try (RawConnection slow = RawConnection.open(gateway.port())) {
            slow.write(RawConnection.postHead("/v1/files", "multipart/form-data; boundary=" + BOUNDARY, 200_000) + start);

            String answer = slow.readResponse(Duration.ofSeconds(10));

            assertThat(answer).startsWith("HTTP/1.1 408").contains("server.upload_timeout_seconds");
            assertThat(slow.closedWithin(Duration.ofSeconds(5))).as("closed after the refusal").isTrue();
        }
        assertNoTemporaryFileBeyond(before);
    }

    private static String field(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static String file(String name, String filename, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    }

    private static HttpResponse<String> upload(String parts) {
        return gateway.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/files")))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString(parts + "--" + BOUNDARY + "--\r\n", StandardCharsets.UTF_8)));
    }

    /** The gateway's own spilled uploads, and Reactor Netty's form parts (in its {@code RN_form_} directories). */
    private static long temporaryFiles() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> top = Files.list(temp)) {
            return top.mapToLong(path -> {
                String name = path.getFileName().toString();
                if (name.startsWith("sluice-upload-")) {
                    return 1;
                }
                if (name.startsWith("RN_form_") && Files.isDirectory(path)) {
                    try (Stream<Path> parts = Files.list(path)) {
                        return parts.count();
                    } catch (IOException e) {
                        return 0;
                    }
                }
                return 0;
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temporary files are deleted off the event loop, just after the answer: give them a moment. */
    private static void assertNoTemporaryFileBeyond(long before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (temporaryFiles() > before && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(temporaryFiles()).isLessThanOrEqualTo(before);
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
