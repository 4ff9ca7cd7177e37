package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input gets a 4xx in OpenAI's error envelope that says what was wrong. */
class BadInputTest {

    private static final int MAX_BODY = 4096;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.start(MAX_BODY, List.of(RunningGateway.mock("demo")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{not json                                   | 400 | not valid JSON",
            "''                                          | 400 | must be a JSON object",
            "[1,2]                                       | 400 | must be a JSON object",
            "{\"messages\":[]}                           | 400 | must provide a model",
            "{\"model\":5}                               | 400 | 'model' must be a string",
            "{\"model\":\"demo/echo\",\"stream\":\"yes\"} | 400 | 'stream' must be a boolean",
            "{\"model\":\"demo/echo\"} {}                | 400 | content after the JSON object",
            "{\"model\":\"nowhere/gpt\"}                 | 400 | Unknown provider 'nowhere'",
            "{\"model\":\"mystery\"}                     | 400 | no configured provider lists it",
            "{\"model\":\"demo/\"}                       | 400 | no model after the '/'",
    })
    void refusesBadChatBodies(String body, int status, String message) {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", body);

        assertEnvelope(response, status, message);
    }

    @Test
    void unknownProviderMessageNamesTheConfiguredProviders() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"nowhere/gpt\"}");

        assertEnvelope(response, 400, "Configured providers: demo");
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("model");
    }

    @Test
    void refusesBodyLargerThanTheLimitWith413() {
        String big = "{\"model\":\"demo/echo\",\"input\":\"" + "x".repeat(MAX_BODY) + "\"}";

        assertEnvelope(gateway.post("/v1/embeddings", big), 413, "larger than the limit of 4096 bytes");
    }

    @Test
    void refusesChunkedBodyLargerThanTheLimitWith413() {
        byte[] big = ("{\"model\":\"demo/echo\",\"input\":\"" + "x".repeat(MAX_BODY) + "\"}").getBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));

        assertEnvelope(gateway.send(request), 413, "larger than the limit");
    }

    @Test
    void unknownPathIs404() {
        assertEnvelope(gateway.get("/v1/nothing-here"), 404, "Unknown request URL: GET /v1/nothing-here");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        HttpResponse<String> response = gateway.get("/v1/chat/completions");

        assertEnvelope(response, 405, "GET is not allowed");
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void embeddingsCannotBeStreamed() {
        assertEnvelope(gateway.post("/v1/embeddings", "{\"model\":\"demo/embed\",\"input\":\"x\",\"stream\":true}"),
                400, "embeddings cannot be streamed");
    }

    @Test
    void keepsServingAfterBadInput() {
        gateway.post("/v1/chat/completions", "{garbage");

        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }

    private static void assertEnvelope(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.isObject()).as("OpenAI error envelope in %s", response.body()).isTrue();
        assertThat(error.path("message").asText()).contains(message);
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }
}
