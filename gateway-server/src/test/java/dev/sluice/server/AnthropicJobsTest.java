package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages as async jobs on the Anthropic route: x-bf-async submits, x-bf-async-id retrieves, in Anthropic's shapes. */
class AnthropicJobsTest {

    private static final String MESSAGE = "{\"model\":\"demo/echo\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"later, please\"}]}";
    private static final String KEY = "sk-bf-team-a-0001";
    private static final String ANY_MODEL_KEY = "sk-bf-budget-0004";

    private static void withGateway(StoreKind kind, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(AsyncJobsTest.config(database.url()))) {
            test.accept(gateway);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void submitsAMessageAndRetrievesItOnceRun(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> submitted = gateway.post("/anthropic/v1/messages", MESSAGE, "x-bf-async", "1", "x-bf-vk", KEY);

            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            JsonNode pending = json(submitted.body());
            String id = pending.path("id").asText();
            assertThat(id).isNotBlank();
            assertThat(pending.path("type").asText()).isEqualTo("message");
            assertThat(pending.path("content")).isEmpty();
            JsonNode done = json(Polling.until(() -> gateway.post("/anthropic/v1/messages", "{}", "x-bf-async-id", id, "x-bf-vk", KEY),
                    response -> !json(response.body()).path("content").isEmpty(), Duration.ofSeconds(15)).body());
            assertThat(done.path("id").asText()).isEqualTo(id);
            assertThat(done.path("type").asText()).isEqualTo("message");
            assertThat(done.at("/content/0/text").asText()).isEqualTo("later, please");
            assertThat(done.path("stop_reason").asText()).isEqualTo("end_turn");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobIsOnlyItsKeysAndOnlyOnItsRoute(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/anthropic/v1/messages", MESSAGE, "x-bf-async", "1", "x-bf-vk", KEY).body()).path("id").asText();

            HttpResponse<String> otherKey = gateway.post("/anthropic/v1/messages", "{}", "x-bf-async-id", id, "x-bf-vk", "sk-bf-limited-0002");
            HttpResponse<String> noKey = gateway.post("/anthropic/v1/messages", "{}", "x-bf-async-id", id);
            HttpResponse<String> otherRoute = gateway.post("/openai/v1/responses", "{}", "x-bf-async-id", id, "x-bf-vk", KEY);

            assertThat(otherKey.statusCode()).isEqualTo(404);
            assertThat(json(otherKey.body()).at("/error/type").asText()).isEqualTo("not_found_error");
            assertThat(noKey.statusCode()).isEqualTo(404);
            assertThat(otherRoute.statusCode()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesAStreamedJobAndTellsAFailedOneInAnthropicsShape(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> streamed = gateway.post("/anthropic/v1/messages", MESSAGE.replace("{\"model\"", "{\"stream\":true,\"model\""),
                    "x-bf-async", "1", "x-bf-vk", KEY);
            String failing = json(gateway.post("/anthropic/v1/messages", MESSAGE.replace("demo/echo", "down/gpt-4o"),
                    "x-bf-async", "1", "x-bf-vk", ANY_MODEL_KEY).body()).path("id").asText();

            assertThat(streamed.statusCode()).isEqualTo(400);
            assertThat(json(streamed.body()).at("/error/message").asText()).contains("stream");
            HttpResponse<String> failed = Polling.until(() -> gateway.post("/anthropic/v1/messages", "{}", "x-bf-async-id", failing, "x-bf-vk", ANY_MODEL_KEY),
                    response -> response.statusCode() != 200, Duration.ofSeconds(15));
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(json(failed.body()).path("type").asText()).isEqualTo("error");
            assertThat(json(failed.body()).at("/error/type").asText()).isEqualTo("api_error");
        });
    }
}
