package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.MutableClock;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every virtual-key decision over real HTTP, on H2 and on PostgreSQL. */
class VirtualKeyGovernanceTest {

    static final String ADMIN = "Bearer admin-secret";

    static String config(String storeUrl, boolean requireKey) {
        return """
                server: {port: 0}
                store: {url: "%s"}
                auth: {admin_token: admin-secret, require_virtual_key: %s}
                providers:
                  demo: {type: mock, models: [echo]}
                  other: {type: mock, models: [x]}
                virtual_keys:
                  - {name: team-a, value: sk-bf-team-a-0001, allowed_models: ["demo/*"]}
                  - {name: limited, value: sk-bf-limited-0002, rate_limit: {requests_per_minute: 2}}
                  - {name: tokens, value: sk-bf-tokens-0003, rate_limit: {tokens_per_minute: 5}}
                  - {name: budgeted, value: sk-bf-budget-0004, budget: {max_usd: 1.0, reset: 1h}}
                  - {name: disabled, value: sk-bf-off-0005, active: false}
                  - {name: old, value: sk-bf-old-0006, expires_at: "2020-01-01T00:00:00Z"}
                pricing:
                  "demo/*": {input: 100000, output: 100000, expected_output_tokens: 2}
                """.formatted(storeUrl, requireKey);
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

    private void withGateway(StoreKind kind, boolean requireKey, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), requireKey), clock)) {
            test.accept(gateway);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void identifiesTheKeyInEveryHeaderForm(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            for (List<String> header : List.of(List.of("x-bf-vk", "sk-bf-team-a-0001"), List.of("Authorization", "Bearer sk-bf-team-a-0001"),
                    List.of("x-api-key", "sk-bf-team-a-0001"), List.of("x-goog-api-key", "sk-bf-team-a-0001"), List.of("api-key", "sk-bf-team-a-0001"))) {
                assertThat(gateway.chat("demo/echo", "hi", header.get(0), header.get(1)).statusCode()).as(header.get(0)).isEqualTo(200);
                assertDecision(gateway.chat("other/x", "hi", header.get(0), header.get(1)), 403, "model_blocked");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownKeyIs401(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-nobody"), 401, "virtual_key_not_found");
            assertDecision(gateway.chat("demo/echo", "hi", "Authorization", "Bearer SK-BF-nobody"), 401, "virtual_key_not_found");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anotherCredentialIsNotAVirtualKey(StoreKind kind) {
        withGateway(kind, false, gateway ->
                assertThat(gateway.chat("other/x", "hi", "Authorization", "Bearer sk-proj-openai-key").statusCode()).isEqualTo(200));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void inactiveAndExpiredKeysAre403(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-off-0005"), 403, "virtual_key_blocked");
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-old-0006"), 403, "virtual_key_blocked");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void requestRateRefusesWithRetryAfterThenRefills(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-limited-0002").statusCode()).isEqualTo(200);
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-limited-0002").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-limited-0002");

            assertDecision(refused, 429, "rate_limited");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("30");

            clock.advance(Duration.ofSeconds(31));
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-limited-0002").statusCode()).isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tokenRateRefusesOnceTheMinutesTokensAreSpent(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            assertThat(gateway.chat("demo/echo", "one two three", "x-bf-vk", "sk-bf-tokens-0003").statusCode()).isEqualTo(200);

            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-tokens-0003"), 429, "rate_limited");

            clock.advance(Duration.ofMinutes(2));
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-tokens-0003").statusCode()).isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void budgetRefusesWhatWouldNotFitAndResets(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            // "hello there" echoed: 2 input + 2 output tokens at $0.10 each = $0.40 a request, against $1.00. Admission
            // reserves the estimate, 3 prompt tokens (11 characters) + 2 expected output = $0.50: the third would not fit.
            for (int i = 0; i < 2; i++) {
                assertThat(gateway.chat("demo/echo", "hello there", "x-bf-vk", "sk-bf-budget-0004").statusCode()).isEqualTo(200);
            }
            assertDecision(gateway.chat("demo/echo", "hello there", "x-bf-vk", "sk-bf-budget-0004"), 402, "budget_exceeded");
            JsonNode usage = usage(gateway, "budgeted");
            assertThat(usage.path("requests").asLong()).isEqualTo(2);
            assertThat(usage.path("spend_usd").asDouble()).isEqualTo(0.8);

            clock.advance(Duration.ofHours(1));
            assertThat(gateway.chat("demo/echo", "hello there", "x-bf-vk", "sk-bf-budget-0004").statusCode()).isEqualTo(200);
            assertThat(usage(gateway, "budgeted").path("requests").asLong()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void requireVirtualKeyRefusesAnonymousCallers(StoreKind kind) {
        withGateway(kind, true, gateway -> {
            assertDecision(gateway.chat("demo/echo", "hi"), 401, "virtual_key_required");
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-team-a-0001").statusCode()).isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void modelsListShowsOnlyWhatTheKeyMayUse(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            JsonNode keyed = json(gateway.send(gateway.request("/v1/models", "x-bf-vk", "sk-bf-team-a-0001").GET()).body());
            JsonNode anonymous = json(gateway.get("/v1/models").body());

            assertThat(keyed.path("data").findValuesAsText("id")).containsExactly("demo/echo");
            assertThat(anonymous.path("data").findValuesAsText("id")).containsExactly("demo/echo", "other/x");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void streamUsageIsChargedAndItsChunkShownOnlyWhenAsked(StoreKind kind) {
        withGateway(kind, false, gateway -> {
            String unasked = stream(gateway, "{\"model\":\"demo/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");
            // A stream is charged as it ends, after its last event has gone: until the charge is stored, the budget
            // counts it both stored and reserved, on the safe side, and may refuse what it could hold.
            Polling.until(() -> usage(gateway, "budgeted").path("requests").asLong() == 1, Duration.ofSeconds(10));
            String asked = stream(gateway, "{\"model\":\"demo/echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

            assertThat(unasked).doesNotContain("\"choices\":[]").endsWith("data: [DONE]\n\n");
            assertThat(asked).contains("\"choices\":[]").contains("\"prompt_tokens\":2");
            JsonNode usage = usage(gateway, "budgeted");
            assertThat(usage.path("requests").asLong()).isEqualTo(2);
            assertThat(usage.path("input_tokens").asLong()).isEqualTo(4);
            assertThat(usage.path("output_tokens").asLong()).isEqualTo(4);
        });
    }

    private static String stream(RunningGateway gateway, String body) {
        HttpResponse<String> response = gateway.send(gateway.request("/v1/chat/completions", "x-bf-vk", "sk-bf-budget-0004", "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static JsonNode usage(RunningGateway gateway, String name) {
        HttpResponse<String> response = gateway.send(gateway.request("/api/virtual-keys/" + name + "/usage", "Authorization", ADMIN).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response.body());
    }

    static void assertDecision(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
    }
}
