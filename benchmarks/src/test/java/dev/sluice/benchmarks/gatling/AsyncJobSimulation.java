package dev.sluice.benchmarks.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Async jobs: submit a chat completion, then poll every 50 ms (at most 200 times) until it is done; each user
 * checks that its job completed with a result.
 */
@SuppressWarnings("this-escape") // Gatling's DSL declares the simulation in the constructor.
public class AsyncJobSimulation extends Simulation {

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.baseUrl()).contentTypeHeader("application/json");

    private final ScenarioBuilder submitAndPoll = scenario("async submit and poll")
            .exec(http("submit").post("/v1/async/chat/completions")
                    .body(StringBody("{\"model\":\"" + Target.model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"later\"}]}"))
                    .check(status().is(202), jsonPath("$.id").saveAs("job")))
            .exitHereIfFailed()
            .exec(session -> session.set("state", 202).set("polls", 0))
            .asLongAs(session -> session.getInt("state") == 202 && session.getInt("polls") < 200).on(
                    pause(Duration.ofMillis(50))
                            .exec(http("poll").get("/v1/async/chat/completions/#{job}")
                                    .check(status().in(200, 202).saveAs("state")))
                            .exec(session -> session.set("polls", session.getInt("polls") + 1)))
            .exec(http("result").get("/v1/async/chat/completions/#{job}")
                    .check(status().is(200), jsonPath("$.status").is("completed"), jsonPath("$.result.choices[0].message.content").exists()));

    private static io.gatling.javaapi.core.ChainBuilder pause(Duration duration) {
        return io.gatling.javaapi.core.CoreDsl.pause(duration);
    }

    {
        setUp(submitAndPoll.injectOpen(constantUsersPerSec(Target.rate()).during(Target.duration())))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(1.0));
    }

    @Override
    public void after() {
        Target.stop();
    }
}
