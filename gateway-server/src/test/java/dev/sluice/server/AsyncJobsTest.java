package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.server.support.MutableClock;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The /v1/async API over real HTTP, on H2 and on PostgreSQL. */
class AsyncJobsTest {

    static final String CHAT = "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"later please\"}]}";

    static String config(String storeUrl) {
        return VirtualKeyGovernanceTest.config(storeUrl, false).replace("  other: {type: mock, models: [x]}\n", """
                  other: {type: mock, models: [x]}
                  down: {type: openai, base_url: "http://127.0.0.1:1/v1"}
                """);
    }

    private final MutableClock clock = new MutableClock(Instant.now());

    private void withGateway(StoreKind kind, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url()), clock)) {
            test.accept(gateway);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void runsAJobToCompletion(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> submitted = gateway.post("/v1/async/chat/completions", CHAT);

            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            JsonNode job = json(submitted.body());
            assertThat(job.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(job.path("status").asText()).isEqualTo("pending");
            assertThat(Instant.parse(job.path("created_at").asText())).isNotNull();
            assertThat(job.has("completed_at") || job.has("expires_at") || job.has("result") || job.has("error")).isFalse();

            JsonNode done = json(awaitFinal(gateway, "/v1/async/chat/completions/" + job.path("id").asText()).body());
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("status_code").asInt()).isEqualTo(200);
            assertThat(done.at("/result/choices/0/message/content").asText()).isEqualTo("later please");
            assertThat(Duration.between(Instant.parse(done.path("completed_at").asText()), Instant.parse(done.path("expires_at").asText())))
                    .isEqualTo(Duration.ofHours(1));
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyInferenceTypeHasAnAsyncRoute(StoreKind kind) {
        withGateway(kind, gateway -> {
            for (List<String> type : List.of(List.of("completions", "{\"model\":\"demo/echo\",\"prompt\":\"p\"}", "/result/choices/0/text"),
                    List.of("embeddings", "{\"model\":\"demo/embed\",\"input\":\"e\"}", "/result/data/0/object"),
                    List.of("responses", "{\"model\":\"demo/echo\",\"input\":\"r\"}", "/result/status"))) {
                String id = json(gateway.post("/v1/async/" + type.get(0), type.get(1)).body()).path("id").asText();
                JsonNode done = json(awaitFinal(gateway, "/v1/async/" + type.get(0) + "/" + id).body());
                assertThat(done.at(type.get(2)).asText()).as(type.get(0)).isNotBlank();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailingProviderFailsTheJobWithItsStatus(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/v1/async/chat/completions", CHAT.replace("demo/echo", "down/gpt")).body()).path("id").asText();

            JsonNode done = json(awaitFinal(gateway, "/v1/async/chat/completions/" + id).body());
            assertThat(done.path("status").asText()).isEqualTo("failed");
            assertThat(done.path("status_code").asInt()).isEqualTo(502);
            assertThat(done.at("/error/error/code").asText()).isEqualTo("upstream_unavailable");
            assertThat(done.has("result")).isFalse();
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void governanceAppliesWhenTheJobRuns(StoreKind kind) {
        withGateway(kind, gateway -> {
            // "hello there" costs $0.40 (reserved as $0.50) against a $1.00 budget: the third and fourth jobs are refused when they run.
            String last = null;
            for (int i = 0; i < 4; i++) {
                last = json(gateway.post("/v1/async/chat/completions", CHAT.replace("later please", "hello there"), "x-bf-vk", "sk-bf-budget-0004").body())
                        .path("id").asText();
                awaitFinal(gateway, "/v1/async/chat/completions/" + last, "x-bf-vk", "sk-bf-budget-0004");
            }
            JsonNode refused = json(awaitFinal(gateway, "/v1/async/chat/completions/" + last, "x-bf-vk", "sk-bf-budget-0004").body());
            assertThat(refused.path("status").asText()).isEqualTo("failed");
            assertThat(refused.path("status_code").asInt()).isEqualTo(402);
            assertThat(refused.at("/error/error/type").asText()).isEqualTo("budget_exceeded");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"120", "abc", "0", "-5", ""})
    void resultTtlComesFromTheHeaderOrTheDefault(String ttl) {
        withGateway(StoreKind.H2, gateway -> {
            String id = json(gateway.post("/v1/async/chat/completions", CHAT, "x-bf-async-job-result-ttl", ttl).body()).path("id").asText();

            JsonNode done = json(awaitFinal(gateway, "/v1/async/chat/completions/" + id).body());
            Duration kept = Duration.between(Instant.parse(done.path("completed_at").asText()), Instant.parse(done.path("expires_at").asText()));
            assertThat(kept).isEqualTo(ttl.equals("120") ? Duration.ofSeconds(120) : Duration.ofHours(1));
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredResultIsGone(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/v1/async/chat/completions", CHAT, "x-bf-async-job-result-ttl", "60").body()).path("id").asText();
            awaitFinal(gateway, "/v1/async/chat/completions/" + id);

            clock.advance(Duration.ofSeconds(61));

            assertThat(gateway.get("/v1/async/chat/completions/" + id).statusCode()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKeyedJobIsVisibleOnlyToItsKeyInAnyHeader(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/v1/async/chat/completions", CHAT, "x-bf-vk", "sk-bf-team-a-0001").body()).path("id").asText();
            String path = "/v1/async/chat/completions/" + id;
            awaitFinal(gateway, path, "x-bf-vk", "sk-bf-team-a-0001");

            assertThat(gateway.send(gateway.request(path, "Authorization", "Bearer sk-bf-team-a-0001").GET()).statusCode()).isEqualTo(200);
            assertThat(gateway.send(gateway.request(path, "x-api-key", "sk-bf-team-a-0001").GET()).statusCode()).isEqualTo(200);
            assertThat(gateway.send(gateway.request(path, "x-goog-api-key", "sk-bf-team-a-0001").GET()).statusCode()).isEqualTo(200);
            assertThat(gateway.send(gateway.request(path, "x-bf-vk", "sk-bf-limited-0002").GET()).statusCode()).isEqualTo(404);
            assertThat(gateway.send(gateway.request(path, "x-bf-vk", "sk-bf-unknown").GET()).statusCode()).isEqualTo(404);
            assertThat(gateway.get(path).statusCode()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobSubmittedWithoutAKeyIsVisibleToAnyone(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/v1/async/chat/completions", CHAT).body()).path("id").asText();
            String path = "/v1/async/chat/completions/" + id;

            assertThat(awaitFinal(gateway, path).statusCode()).isEqualTo(200);
            assertThat(gateway.send(gateway.request(path, "x-bf-vk", "sk-bf-team-a-0001").GET()).statusCode()).isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aJobIsNotFoundOnAnotherTypesPath(StoreKind kind) {
        withGateway(kind, gateway -> {
            String id = json(gateway.post("/v1/async/completions", "{\"model\":\"demo/echo\",\"prompt\":\"p\"}").body()).path("id").asText();
            awaitFinal(gateway, "/v1/async/completions/" + id);

            assertThat(gateway.get("/v1/async/chat/completions/" + id).statusCode()).isEqualTo(404);
        });
    }

    @Test
    void refusesWhatCouldNeverRunAndStoresNothing() {
        withGateway(StoreKind.H2, gateway -> {
            assertRefused(gateway.post("/v1/async/chat/completions", "{oops"), "not valid JSON");
            assertRefused(gateway.post("/v1/async/chat/completions", "{\"messages\":[]}"), "model");
            assertRefused(gateway.post("/v1/async/chat/completions", CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"")),
                    "stream is not supported for async");
            assertRefused(gateway.post("/v1/async/chat/completions", "{\"model\":\"demo/echo\"}"), "'messages' is required");
            assertRefused(gateway.post("/v1/async/completions", "{\"model\":\"demo/echo\"}"), "'prompt' is required");
            assertRefused(gateway.post("/v1/async/chat/completions", CHAT, "x-bf-vk", "sk-bf-unknown"), "not known");
            assertRefused(gateway.post("/v1/async/chat/completions", CHAT.replace("demo/echo", "nowhere/x")), "Unknown provider");

            assertThat(gateway.gateway().store().jobs().countByStatus(JobStatus.PENDING).block(Duration.ofSeconds(5))
                    + gateway.gateway().store().jobs().countByStatus(JobStatus.COMPLETED).block(Duration.ofSeconds(5))).isZero();
        });
    }

    @Test
    void pollPathsTakeNoPostAndNeedAnId() {
        withGateway(StoreKind.H2, gateway -> {
            assertThat(gateway.post("/v1/async/chat/completions/some-id", CHAT).statusCode()).isIn(404, 405);
            HttpResponse<String> empty = gateway.get("/v1/async/chat/completions/");
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(json(empty.body()).at("/error/message").asText()).contains("job id is empty");
            assertThat(gateway.get("/v1/async/chat/completions/no-such-job").statusCode()).isEqualTo(404);
        });
    }

    static HttpResponse<String> awaitFinal(RunningGateway gateway, String path, String... headers) {
        return Polling.until(() -> gateway.send(gateway.request(path, headers).GET()), response -> response.statusCode() != 202,
                Duration.ofSeconds(15));
    }

    private static void assertRefused(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains(message);
    }
}
