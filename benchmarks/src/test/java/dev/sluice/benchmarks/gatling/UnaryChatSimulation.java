package dev.sluice.benchmarks.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** Unary chat completions at a constant arrival rate ({@code rate} per second for {@code duration.seconds}). */
@SuppressWarnings("this-escape") // Gatling's DSL declares the simulation in the constructor.
public class UnaryChatSimulation extends Simulation {

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.baseUrl())
            .contentTypeHeader("application/json").acceptHeader("application/json");

    private final ScenarioBuilder chat = scenario("unary chat").exec(http("chat").post("/v1/chat/completions")
            .body(StringBody("{\"model\":\"" + Target.model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from gatling\"}]}"))
            .check(status().is(200), jsonPath("$.choices[0].message.content").exists()));

    {
        setUp(chat.injectOpen(constantUsersPerSec(Target.rate()).during(Target.duration())))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(1.0));
    }

    @Override
    public void after() {
        Target.stop();
    }
}
