package dev.sluice.server;

import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RawConnection;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When virtual keys are required, a caller without a usable key is refused from its headers, before its body is read:
 * each request here declares 40 MiB and sends none of it, and still gets its 401 at once.
 */
class CallerBeforeBodyTest {

    private static final long DECLARED = 40L * 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.fromYaml("""
                server: {port: 0, read_timeout_seconds: 30}
                store: {url: "%s"}
                auth: {require_virtual_key: true}
                providers:
                  demo: {type: mock, models: [echo]}
                virtual_keys:
                  - {name: team-a, value: sk-bf-team-a-0001}
                  - {name: disabled, value: sk-bf-off-0002, active: false}
                """.formatted(TestDatabases.h2InMemory()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat/completions", "/v1/embeddings", "/openai/v1/responses", "/v1/async/chat/completions",
            "/v1/batches", "/anthropic/v1/messages", "/genai/v1beta/models/demo/echo:generateContent"})
    void refusesAJsonRouteWithoutAKeyBeforeItsBody(String path) {
        String answer = headersOnly(path, "application/json");

        assertThat(answer).startsWith("HTTP/1.1 401");
        assertThat(answer).contains("virtual key");
    }

    @Test
    void refusesAnUploadWithoutAKeyBeforeItsBody() {
        String answer = headersOnly("/v1/files", "multipart/form-data; boundary=b");

        assertThat(answer).startsWith("HTTP/1.1 401").contains("virtual_key_required");
    }

    @Test
    void refusesAnUnknownOrBlockedKeyBeforeTheBody() {
        assertThat(headersOnly("/v1/chat/completions", "application/json", "Authorization", "Bearer sk-bf-nobody-0009"))
                .startsWith("HTTP/1.1 401").contains("virtual_key_not_found");
        assertThat(headersOnly("/v1/files", "multipart/form-data; boundary=b", "x-bf-vk", "sk-bf-off-0002"))
                .startsWith("HTTP/1.1 403").contains("virtual_key_blocked");
    }

    @Test
    void closesTheConnectionOfARefusedBodyRatherThanReadingOn() {
        try (RawConnection connection = RawConnection.open(gateway.port())) {
            connection.write(RawConnection.postHead("/v1/chat/completions", "application/json", DECLARED) + "{\"model\":");

            assertThat(connection.readResponse(WAIT)).startsWith("HTTP/1.1 401");
            assertThat(connection.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void readsTheBodyOfACallerWithAKey() {
        assertThat(gateway.chat("demo/echo", "hello", "Authorization", "Bearer sk-bf-team-a-0001").statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheAnthropicRouteInItsOwnShape() {
        assertThat(headersOnly("/anthropic/v1/messages", "application/json")).contains("\"type\":\"error\"");
    }

    private static String headersOnly(String path, String contentType, String... headers) {
        try (RawConnection connection = RawConnection.open(gateway.port())) {
            connection.write(RawConnection.postHead(path, contentType, DECLARED, headers));
            return connection.readResponse(WAIT);
        }
    }
}
