package dev.sluice.server;

import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text a caller sends that the store keeps or looks up is refused at the edge when the store could not take it: a NUL
 * (PostgreSQL refuses it in text) or more than a column holds. Without the checks these were 500s on PostgreSQL, some
 * on H2 too.
 */
class StoredTextInputTest {

    private static final String ADMIN = "Bearer admin-secret";

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void virtualKeyNameWithANulIs400(StoreKind kind) {
        withGateway(kind, gateway -> assertRefused(admin(gateway, "{\"name\":\"a\\u0000b\"}"), "name"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void allowedModelGlobWithANulIs400(StoreKind kind) {
        withGateway(kind, gateway -> assertRefused(admin(gateway, "{\"name\":\"nul\",\"allowed_models\":[\"demo/\\u0000\"]}"),
                "expected: no control characters"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void allowedModelsLongerThanTheStoreKeepsAre400(StoreKind kind) {
        withGateway(kind, gateway -> {
            assertRefused(admin(gateway, "{\"name\":\"long\",\"allowed_models\":[\"" + "demo/x".repeat(20_000) + "\"]}"),
                    "120000 characters (expected: at most 255)");
            StringBuilder many = new StringBuilder("\"demo/0\"");
            for (int i = 1; i < 300; i++) {
                many.append(",\"demo/").append(i).append('"');
            }
            assertRefused(admin(gateway, "{\"name\":\"many\",\"allowed_models\":[" + many + "]}"), "300 globs (expected: at most 256)");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void batchInputFileIdWithANulIs400(StoreKind kind) {
        withGateway(kind, gateway -> assertRefused(gateway.post("/v1/batches",
                "{\"input_file_id\":\"file-\\u0000\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"), "control character"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listCursorWithANulIs400(StoreKind kind) {
        withGateway(kind, gateway -> {
            assertRefused(gateway.get("/v1/files?after=%00"), "'after' holds a control character");
            assertRefused(gateway.get("/v1/batches?after=x%00y"), "'after' holds a control character");
        });
    }

    private static void withGateway(StoreKind kind, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(VirtualKeyGovernanceTest.config(database.url(), false))) {
            test.accept(gateway);
        }
    }

    private static HttpResponse<String> admin(RunningGateway gateway, String body) {
        return gateway.send(gateway.request("/api/virtual-keys", "Authorization", ADMIN, "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void assertRefused(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains(message);
    }
}
