package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.sluice.server.VirtualKeyGovernanceTest.assertDecision;
import static dev.sluice.server.VirtualKeyGovernanceTest.config;
import static dev.sluice.server.VirtualKeyGovernanceTest.usage;
import static org.assertj.core.api.Assertions.assertThat;

/** Spend is durable: it survives a restart, and instances sharing one PostgreSQL respect one budget. */
class SpendPersistenceTest {

    private static final String BUDGET_KEY = "sk-bf-budget-0004";

    @Test
    void spendSurvivesARestartOnH2(@TempDir Path directory) {
        spendSurvivesARestart(TestDatabases.h2File(directory));
    }

    @Test
    void spendSurvivesARestartOnPostgres() {
        try (StoreKind.Database database = StoreKind.POSTGRES.create()) {
            spendSurvivesARestart(database.url());
        }
    }

    private static void spendSurvivesARestart(String url) {
        try (RunningGateway first = RunningGateway.fromYaml(config(url, false))) {
            assertThat(first.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY).statusCode()).isEqualTo(200);
            assertThat(first.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY).statusCode()).isEqualTo(200);
        }
        try (RunningGateway second = RunningGateway.fromYaml(config(url, false))) {
            JsonNode usage = usage(second, "budgeted");
            assertThat(usage.path("requests").asLong()).isEqualTo(2);
            assertThat(usage.path("spend_usd").asDouble()).isEqualTo(0.8);

            // $0.80 spent: a third request's $0.50 estimate no longer fits the $1.00 budget.
            assertDecision(second.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY), 402, "budget_exceeded");
        }
    }

    @Test
    void twoInstancesOnOnePostgresRespectOneBudget() {
        try (StoreKind.Database database = StoreKind.POSTGRES.create();
             RunningGateway a = RunningGateway.fromYaml(config(database.url(), false));
             RunningGateway b = RunningGateway.fromYaml(config(database.url(), false))) {
            // $0.40 a request, reserved as $0.50, against $1.00: once $0.80 is spent, neither instance admits a third.
            assertThat(a.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY).statusCode()).isEqualTo(200);
            assertThat(b.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY).statusCode()).isEqualTo(200);

            assertDecision(a.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY), 402, "budget_exceeded");
            assertDecision(b.chat("demo/echo", "hello there", "x-bf-vk", BUDGET_KEY), 402, "budget_exceeded");
            assertThat(usage(a, "budgeted").path("spend_usd").asDouble()).isEqualTo(0.8);
            assertThat(usage(b, "budgeted").path("spend_usd").asDouble()).isEqualTo(0.8);
        }
    }

    @Test
    void concurrentRequestsOnTwoInstancesLoseNoIncrement() {
        try (StoreKind.Database database = StoreKind.POSTGRES.create();
             RunningGateway a = RunningGateway.fromYaml(config(database.url(), false));
             RunningGateway b = RunningGateway.fromYaml(config(database.url(), false))) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            IntStream.range(0, 40).forEach(i -> {
                RunningGateway target = i % 2 == 0 ? a : b;
                calls.add(CompletableFuture.supplyAsync(() -> target.chat("demo/echo", "hello there", "x-bf-vk", "sk-bf-team-a-0001")));
            });
            long answered = calls.stream().map(CompletableFuture::join).filter(response -> response.statusCode() == 200).count();

            assertThat(answered).isEqualTo(40);
            JsonNode usage = usage(a, "team-a");
            assertThat(usage.path("requests").asLong()).isEqualTo(40);
            assertThat(usage.path("total_tokens").asLong()).isEqualTo(160);
        }
    }
}
