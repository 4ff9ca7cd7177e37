package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

import static dev.sluice.server.VirtualKeyGovernanceTest.ADMIN;
import static dev.sluice.server.VirtualKeyGovernanceTest.assertDecision;
import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API for virtual keys over real HTTP, on H2 and on PostgreSQL. */
class AdminApiTest {

    private static void withGateway(StoreKind kind, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(VirtualKeyGovernanceTest.config(database.url(), false))) {
            test.accept(gateway);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createsAKeyWithAGeneratedValueShownOnce(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> created = admin(gateway, "POST", "/api/virtual-keys", """
                    {"name":"ci-bot","allowed_models":["demo/*"],"budget":{"max_usd":5,"reset":"1d"}}""");

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String value = json(created.body()).path("value").asText();
            assertThat(value).startsWith("sk-bf-").hasSizeGreaterThan(30);
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", value).statusCode()).isEqualTo(200);
            assertThat(gateway.chat("other/x", "hi", "x-bf-vk", value).statusCode()).isEqualTo(403);

            JsonNode shown = json(admin(gateway, "GET", "/api/virtual-keys/ci-bot", null).body());
            assertThat(shown.path("value").asText()).isEqualTo("sk-bf-..." + value.substring(value.length() - 4));
            assertThat(shown.path("budget").path("reset").asText()).isEqualTo("1d");
            assertThat(admin(gateway, "GET", "/api/virtual-keys", null).body()).doesNotContain(value);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsEveryKeyMasked(StoreKind kind) {
        withGateway(kind, gateway -> {
            JsonNode list = json(admin(gateway, "GET", "/api/virtual-keys", null).body());

            assertThat(list.path("data").findValuesAsText("name")).contains("team-a", "limited", "budgeted");
            assertThat(list.toString()).doesNotContain("sk-bf-team-a-0001").contains("sk-bf-...0001");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void patchChangesOnlyTheNamedFieldsAndTakesEffectAtOnce(StoreKind kind) {
        withGateway(kind, gateway -> {
            assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-team-a-0001").statusCode()).isEqualTo(200);

            HttpResponse<String> patched = admin(gateway, "PATCH", "/api/virtual-keys/team-a", "{\"active\":false}");

            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(json(patched.body()).path("allowed_models").get(0).asText()).isEqualTo("demo/*");
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-team-a-0001"), 403, "virtual_key_blocked");

            admin(gateway, "PATCH", "/api/virtual-keys/team-a", "{\"active\":true,\"allowed_models\":[\"other/*\"]}");
            assertThat(gateway.chat("other/x", "hi", "x-bf-vk", "sk-bf-team-a-0001").statusCode()).isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void patchRotatesTheValueAndRemovesLimitsWithNull(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> patched = admin(gateway, "PATCH", "/api/virtual-keys/limited", "{\"value\":\"sk-bf-rotated-9999\",\"rate_limit\":null}");

            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(json(patched.body()).path("value").asText()).isEqualTo("sk-bf-...9999");

            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-limited-0002"), 401, "virtual_key_not_found");
            for (int i = 0; i < 4; i++) {
                assertThat(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-rotated-9999").statusCode()).isEqualTo(200);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deleteRemovesTheKey(StoreKind kind) {
        withGateway(kind, gateway -> {
            HttpResponse<String> deleted = admin(gateway, "DELETE", "/api/virtual-keys/team-a", null);

            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(json(deleted.body()).path("deleted").asBoolean()).isTrue();
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-team-a-0001"), 401, "virtual_key_not_found");
            assertThat(admin(gateway, "GET", "/api/virtual-keys/team-a", null).statusCode()).isEqualTo(404);
            assertThat(admin(gateway, "DELETE", "/api/virtual-keys/team-a", null).statusCode()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesBadKeysWithTheFieldAndTheExpectation(StoreKind kind) {
        withGateway(kind, gateway -> {
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{\"name\":\"x\",\"budget\":{\"max_usd\":-1}}"),
                    400, "budget.max_usd");
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{\"name\":\"x\",\"value\":\"not-a-vk\"}"), 400, "sk-bf-");
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{\"name\":\"x\",\"colour\":\"red\"}"), 400, "colour");
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{\"allowed_models\":[\"demo/*\"]}"), 400, "name");
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{oops"), 400, "not valid JSON");
            assertAdminError(admin(gateway, "POST", "/api/virtual-keys", "{\"name\":\"team-a\"}"), 409, "team-a");
            assertAdminError(admin(gateway, "PATCH", "/api/virtual-keys/team-a", "{\"name\":\"renamed\"}"), 400, "cannot be renamed");
            assertAdminError(admin(gateway, "PATCH", "/api/virtual-keys/nobody", "{\"active\":false}"), 404, "nobody");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void needsTheAdminToken(StoreKind kind) {
        withGateway(kind, gateway -> {
            assertThat(gateway.get("/api/virtual-keys").statusCode()).isEqualTo(401);
            assertThat(gateway.send(gateway.request("/api/virtual-keys", "Authorization", "Bearer wrong").GET()).statusCode()).isEqualTo(401);
            assertThat(gateway.send(gateway.request("/api/virtual-keys", "Authorization", "Bearer sk-bf-team-a-0001").GET()).statusCode())
                    .isEqualTo(401);
        });
    }

    @Test
    void isOffWithoutAnAdminToken() {
        try (StoreKind.Database database = StoreKind.H2.create();
             RunningGateway gateway = RunningGateway.fromYaml("""
                     server: {port: 0}
                     store: {url: "%s"}
                     providers: {demo: {type: mock}}
                     """.formatted(database.url()))) {
            assertThat(gateway.send(gateway.request("/api/virtual-keys", "Authorization", ADMIN).GET()).statusCode()).isEqualTo(404);
        }
    }

    static HttpResponse<String> admin(RunningGateway gateway, String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return gateway.send(gateway.request(path, "Authorization", ADMIN, "Content-Type", "application/json").method(method, publisher));
    }

    private static void assertAdminError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response.body()).at("/error/message").asText()).contains(message);
    }
}
