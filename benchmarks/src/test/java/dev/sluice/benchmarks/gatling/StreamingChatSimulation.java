package dev.sluice.benchmarks.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Streaming chat completions at a constant arrival rate: each response is read to its end, and must be an event
 * stream that ends with {@code data: [DONE]}. Gatling times the whole stream; per-token timings are compare.sh's.
 */
@SuppressWarnings("this-escape") // Gatling's DSL declares the simulation in the constructor.
public class StreamingChatSimulation extends Simulation {

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.baseUrl()).contentTypeHeader("application/json");

    private final ScenarioBuilder stream = scenario("streaming chat").exec(http("chat stream").post("/v1/chat/completions")
            .header("accept", "text/event-stream")
            .body(StringBody("{\"model\":\"" + Target.model() + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen\"}]}"))
            .check(status().is(200), header("content-type").transform(type -> type.startsWith("text/event-stream")).is(true),
                    bodyString().transform(body -> body.contains("data: [DONE]")).is(true)));

    {
        setUp(stream.injectOpen(constantUsersPerSec(Target.rate()).during(Target.duration())))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().lt(1.0));
    }

    @Override
    public void after() {
        Target.stop();
    }
}
