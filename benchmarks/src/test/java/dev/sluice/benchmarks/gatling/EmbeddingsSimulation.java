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

/** Embeddings of a batch of four inputs at a constant arrival rate. */
@SuppressWarnings("this-escape") // Gatling's DSL declares the simulation in the constructor.
public class EmbeddingsSimulation extends Simulation {

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.baseUrl()).contentTypeHeader("application/json");

    private final ScenarioBuilder embeddings = scenario("embeddings").exec(http("embeddings").post("/v1/embeddings")
            .body(StringBody("{\"model\":\"" + Target.embedModel() + "\",\"input\":[\"one\",\"two\",\"three\",\"four\"]}"))
            .check(status().is(200), jsonPath("$.data[3].embedding").exists()));

    {
        setUp(embeddings.injectOpen(constantUsersPerSec(Target.rate()).during(Target.duration())))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(1.0));
    }

    @Override
    public void after() {
        Target.stop();
    }
}
