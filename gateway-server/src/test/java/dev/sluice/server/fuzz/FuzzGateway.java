package dev.sluice.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.RawHttp;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;

import java.io.IOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server the fuzz tests aim at: every route on (the admin API included), a mock provider, an H2 store; and the
 * verdict every answer to malformed input must pass.
 */
final class FuzzGateway implements AutoCloseable {

    static final String ADMIN_TOKEN = "admin-secret";
    static final String ADMIN = "Authorization: Bearer " + ADMIN_TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoreKind.Database database;
    private final RunningGateway gateway;

    private FuzzGateway(StoreKind.Database database, RunningGateway gateway) {
        this.database = database;
        this.gateway = gateway;
    }

    static FuzzGateway start() {
        return start(StoreKind.H2);
    }

    /** On PostgreSQL, the test is skipped when no server is running. */
    static FuzzGateway start(StoreKind kind) {
        StoreKind.Database database = kind.create();
        RunningGateway gateway = RunningGateway.fromYaml("""
                server: {port: 0, max_body_bytes: 4194304, access_log: false}
                store: {url: "%s"}
                auth: {admin_token: %s}
                providers:
                  demo: {type: mock, models: [echo, embed]}
                  anthropic: {type: mock, models: [echo]}
                  gemini: {type: mock, models: [echo, embed]}
                  openai: {type: mock, models: [echo, embed]}
                """.formatted(database.url(), ADMIN_TOKEN));
        return new FuzzGateway(database, gateway);
    }

    int port() {
        return gateway.port();
    }

    /** Sends the bytes as they are, asserts the answer is a clean refusal (or an allowed success), and that the server still serves. */
    RawHttp.Answer exchange(String what, String path, byte[] request, boolean halfClose, boolean answerRequired) {
        RawHttp.Answer answer = RawHttp.exchange(port(), request, halfClose);
        verdict(what, path, answer, answerRequired);
        assertHealthy(what);
        return answer;
    }

    /** The server still answers {@code /health} after whatever came before. */
    void assertHealthy(String after) {
        HttpResponse<String> health = gateway.get("/health");
        assertThat(health.statusCode()).as("/health after %s", after).isEqualTo(200);
    }

    /**
     * A 4xx in the route's own error shape, or a 2xx when the input happened to be valid; never a 5xx, never silence.
     * Answers written by the HTTP codec itself (a request line or headers it cannot parse) carry no body.
     */
    static void verdict(String what, String path, RawHttp.Answer answer, boolean answerRequired) {
        if (!answerRequired && !answer.answered()) {
            return;
        }
        assertThat(answer.status()).as("%s: %s", what, answer).isBetween(200, 499);
        if (answer.status() >= 400 && !answer.body().isEmpty()) {
            assertShape(what, path, answer);
        }
    }

    private static void assertShape(String what, String path, RawHttp.Answer answer) {
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": the error body is not JSON: " + answer, e);
        }
        if (path.startsWith("/anthropic/")) {
            assertThat(body.path("type").asText()).as("%s: Anthropic shape in %s", what, answer).isEqualTo("error");
            assertThat(body.at("/error/message").isTextual()).as("%s: %s", what, answer).isTrue();
        } else if (path.startsWith("/genai/")) {
            assertThat(body.at("/error/code").isInt()).as("%s: Gemini shape in %s", what, answer).isTrue();
            assertThat(body.at("/error/status").isTextual()).as("%s: %s", what, answer).isTrue();
        } else {
            assertThat(body.at("/error/message").isTextual()).as("%s: OpenAI shape in %s", what, answer).isTrue();
            assertThat(body.at("/error/type").isTextual()).as("%s: %s", what, answer).isTrue();
        }
    }

    @Override
    public void close() {
        gateway.close();
        database.close();
    }
}
