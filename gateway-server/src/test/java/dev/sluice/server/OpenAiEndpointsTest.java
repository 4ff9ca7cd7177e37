package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every OpenAI-format endpoint over real HTTP, answered by the built-in mock provider. */
class OpenAiEndpointsTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = RunningGateway.start(RunningGateway.mock("demo"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void healthAnswers200() {
        HttpResponse<String> response = gateway.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void chatCompletionEchoesTheLastUserMessage() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", """
                {"model":"demo/echo","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello there"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("model").asText()).isEqualTo("echo");
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("hello there");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void completionAnswersTextCompletion() {
        HttpResponse<String> response = gateway.post("/v1/completions", """
                {"model":"demo/echo","prompt":"say this"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).at("/choices/0/text").asText()).isEqualTo("say this");
    }

    @Test
    void responsesAnswersAResponseObject() {
        HttpResponse<String> response = gateway.post("/v1/responses", """
                {"model":"demo/echo","input":"what is up"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("object").asText()).isEqualTo("response");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("what is up");
    }

    @Test
    void embeddingsAnswerOneVectorPerInput() {
        HttpResponse<String> response = gateway.post("/v1/embeddings", """
                {"model":"demo/embed","input":["one","two"]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response.body()).path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("embedding").size()).isPositive();
    }

    @Test
    void unprefixedModelIsRoutedByCatalogue() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", """
                {"model":"echo","messages":[{"role":"user","content":"by catalogue"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).at("/choices/0/message/content").asText()).isEqualTo("by catalogue");
    }

    @Test
    void modelsListsEveryCatalogueEntryWithItsProvider() {
        HttpResponse<String> response = gateway.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly("demo/echo", "demo/embed");
        assertThat(body.at("/data/0/owned_by").asText()).isEqualTo("demo");
    }

    @Test
    void integrationPrefixServesTheSameEndpoints() {
        HttpResponse<String> withVersion = gateway.post("/openai/v1/chat/completions", """
                {"model":"demo/echo","messages":[{"role":"user","content":"via openai prefix"}]}""");
        HttpResponse<String> withoutVersion = gateway.post("/openai/embeddings", """
                {"model":"demo/embed","input":"x"}""");

        assertThat(withVersion.statusCode()).isEqualTo(200);
        assertThat(json(withVersion.body()).at("/choices/0/message/content").asText()).isEqualTo("via openai prefix");
        assertThat(withoutVersion.statusCode()).isEqualTo(200);
        assertThat(gateway.get("/openai/v1/models").statusCode()).isEqualTo(200);
    }

    @Test
    void integrationPrefixSendsUnprefixedModelsToTheProviderNamedOpenai() {
        HttpResponse<String> response = gateway.post("/openai/v1/chat/completions", """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText())
                .contains("provider 'openai' is not configured").contains("demo");
    }
}
