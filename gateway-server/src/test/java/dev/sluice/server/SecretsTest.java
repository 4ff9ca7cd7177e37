package dev.sluice.server;

import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.server.AdminApiTest.admin;
import static org.assertj.core.api.Assertions.assertThat;

/** Virtual key values and provider keys appear in no response and no log line. */
class SecretsTest {

    private static final List<String> SECRETS = List.of("sk-bf-team-a-0001", "sk-bf-limited-0002", "sk-bf-off-0005",
            "sk-bf-old-0006", "sk-upstream-provider-secret");

    /** The governance test's configuration plus a provider whose key would be sent to a closed port. */
    private static String withUnreachableProvider(String storeUrl) {
        return VirtualKeyGovernanceTest.config(storeUrl, false).replace("  other: {type: mock, models: [x]}\n", """
                  other: {type: mock, models: [x]}
                  dead: {type: openai, base_url: "http://127.0.0.1:1/v1", keys: [{name: k, value: sk-upstream-provider-secret}]}
                """);
    }

    @Test
    void keyValuesNeverAppearInResponsesOrLogs() {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        List<String> bodies = new ArrayList<>();
        try (PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            System.setOut(capture);
            try (StoreKind.Database database = StoreKind.H2.create();
                 RunningGateway gateway = RunningGateway.fromYaml(withUnreachableProvider(database.url()))) {
                for (String key : SECRETS) {
                    bodies.add(gateway.chat("demo/echo", "hi", "x-bf-vk", key).body());
                    bodies.add(gateway.chat("other/x", "hi", "Authorization", "Bearer " + key).body());
                }
                bodies.add(gateway.chat("dead/gpt", "hi").body());
                bodies.add(gateway.chat("dead/gpt", "hi", "x-bf-vk", "sk-bf-wrong-value").body());
                for (HttpResponse<String> response : List.of(
                        admin(gateway, "GET", "/api/virtual-keys", null),
                        admin(gateway, "GET", "/api/virtual-keys/team-a", null),
                        admin(gateway, "PATCH", "/api/virtual-keys/team-a", "{\"active\":true}"),
                        admin(gateway, "GET", "/api/virtual-keys/team-a/usage", null),
                        admin(gateway, "POST", "/api/virtual-keys", "{\"name\":\"dup\",\"value\":\"sk-bf-team-a-0001\"}"))) {
                    bodies.add(response.body());
                }
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }

        String everything = String.join("\n", bodies) + "\n" + logs.toString(StandardCharsets.UTF_8);
        assertThat(bodies).hasSize(17);
        for (String secret : SECRETS) {
            assertThat(everything).doesNotContain(secret);
        }
    }
}
