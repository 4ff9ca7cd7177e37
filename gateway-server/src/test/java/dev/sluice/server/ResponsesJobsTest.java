package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Responses as jobs: the integration route's x-bf-async headers and OpenAI's background mode. */
class ResponsesJobsTest {

    private static final String INPUT = "{\"model\":\"demo/echo\",\"input\":\"in the background\"}";

    private static String config(String storeUrl) {
        return AsyncJobsTest.config(storeUrl).replace("  demo: {type: mock, models: [echo]}\n", """
                  demo: {type: mock, models: [echo]}
                  slow: {type: mock, latency_ms: 5000}
                """);
    }

    private static void withGateway(StoreKind kind, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url()))) {
            test.accept(gateway);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void integrationRouteSubmitsAndRetrievesWithTheHeaders(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> submitted = gateway.post("/openai/v1/responses", INPUT, "x-bf-async", "1", "x-bf-vk", "sk-bf-team-a-0001");

            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            JsonNode pending = json(submitted.body());
            String id = pending.path("id").asText();
            assertThat(pending.path("object").asText()).isEqualTo("response");
            assertThat(pending.path("status").asText()).isIn("queued", "in_progress");
            assertThat(pending.path("output")).isEmpty();

            JsonNode done = json(Polling.until(() -> gateway.post("/openai/responses", "{}", "x-bf-async-id", id, "x-bf-vk", "sk-bf-team-a-0001"),
                    response -> json(response.body()).path("status").asText().equals("completed"), Duration.ofSeconds(15)).body());
            assertThat(done.path("id").asText()).isEqualTo(id);
            assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("in the background");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void integrationRouteRetrievalIsScopedToTheKey(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/openai/v1/responses", INPUT, "x-bf-async", "yes", "x-bf-vk", "sk-bf-team-a-0001").body())
                    .path("id").asText();

            assertThat(gateway.post("/openai/v1/responses", "{}", "x-bf-async-id", id, "x-bf-vk", "sk-bf-limited-0002").statusCode()).isEqualTo(404);
            assertThat(gateway.post("/openai/v1/responses", "{}", "x-bf-async-id", id).statusCode()).isEqualTo(404);
            assertThat(gateway.post("/openai/v1/responses", "{}", "x-bf-async-id", "no-such-job", "x-bf-vk", "sk-bf-team-a-0001").statusCode())
                    .isEqualTo(404);
        });
    }

    @Test
    void aFailedJobAnswersWithItsStatusAndErrorBody() {
        withGateway(StoreKind.H2, gateway -> {
            String id = json(gateway.post("/openai/v1/responses", INPUT.replace("demo/echo", "down/gpt"), "x-bf-async", "1").body())
                    .path("id").asText();

            HttpResponse<String> failed = Polling.until(() -> gateway.post("/openai/v1/responses", "{}", "x-bf-async-id", id),
                    response -> response.statusCode() != 200, Duration.ofSeconds(15));
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(json(failed.body()).at("/error/code").asText()).isEqualTo("upstream_unavailable");
        });
    }

    @Test
    void refusesStreamingAsyncAndAsyncOnRoutesThatCannotExpressIt() {
        withGateway(StoreKind.H2, gateway -> {
            HttpResponse<String> streaming = gateway.post("/openai/v1/responses", INPUT.replace("{", "{\"stream\":true,"), "x-bf-async", "1");
            HttpResponse<String> chat = gateway.post("/openai/v1/chat/completions",
                    "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "x-bf-async", "1");

            assertThat(streaming.statusCode()).isEqualTo(400);
            assertThat(json(streaming.body()).at("/error/message").asText()).contains("stream is not supported");
            assertThat(chat.statusCode()).isEqualTo(400);
            assertThat(json(chat.body()).at("/error/message").asText()).contains("cannot express a pending result");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void sdkBackgroundModeCreatesThenRetrieves(StoreKind kind) {
        withGateway(kind, gateway -> {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("sk-bf-team-a-0001").maxRetries(0).build();
            try {
                Response created = client.responses().create(ResponseCreateParams.builder()
                        .model("demo/echo").input("background via the sdk").background(true).build());

                assertThat(created.status()).hasValueSatisfying(status -> assertThat(status).isIn(ResponseStatus.QUEUED, ResponseStatus.IN_PROGRESS));
                Response done = Polling.until(() -> client.responses().retrieve(created.id()),
                        response -> response.status().orElseThrow().equals(ResponseStatus.COMPLETED), Duration.ofSeconds(15));
                assertThat(done.id()).isEqualTo(created.id());
                assertThat(done.output().getFirst().message().orElseThrow().content().getFirst().outputText().orElseThrow().text())
                        .isEqualTo("background via the sdk");
            } finally {
                client.close();
            }
        });
    }

    @Test
    void sdkCancelsABackgroundResponseThatHasNotFinished() {
        withGateway(StoreKind.H2, gateway -> {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0).build();
            try {
                Response created = client.responses().create(ResponseCreateParams.builder()
                        .model("slow/echo").input("too slow").background(true).build());

                Response cancelled = client.responses().cancel(created.id());

                assertThat(cancelled.status()).hasValue(ResponseStatus.CANCELLED);
                assertThat(client.responses().retrieve(created.id()).status()).hasValue(ResponseStatus.CANCELLED);
                HttpResponse<String> again = gateway.post("/v1/responses/" + created.id() + "/cancel", "{}");
                assertThat(again.statusCode()).isEqualTo(200);
            } finally {
                client.close();
            }
        });
    }

    @Test
    void cancellingAFinishedResponseSaysSo() {
        withGateway(StoreKind.H2, gateway -> {
            String id = json(gateway.post("/v1/responses", INPUT.replace("{", "{\"background\":true,")).body()).path("id").asText();
            Polling.until(() -> json(gateway.get("/v1/responses/" + id).body()).path("status").asText().equals("completed"),
                    Duration.ofSeconds(15));

            HttpResponse<String> refused = gateway.post("/v1/responses/" + id + "/cancel", "{}");

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused.body()).at("/error/message").asText()).contains("already completed");
        });
    }
}
