package dev.sluice.benchmarks.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ByteArrayBodyPart;
import static io.gatling.javaapi.http.HttpDsl.StringBodyPart;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The Batch API end to end: {@code batch.users} users (default 2) each upload a JSONL file of {@code batch.lines}
 * lines (default 2,000), create a batch, and poll it every 200 ms until it is final (within
 * {@code duration.seconds} plus a minute); each checks that every line completed.
 */
@SuppressWarnings("this-escape") // Gatling's DSL declares the simulation in the constructor.
public class BatchSimulation extends Simulation {

    private static final int LINES = Integer.getInteger("batch.lines", 2000);
    private static final int USERS = Integer.getInteger("batch.users", 2);

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.baseUrl());

    private static byte[] file() {
        StringBuilder out = new StringBuilder(LINES * 160);
        for (int i = 0; i < LINES; i++) {
            out.append("{\"custom_id\":\"line-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"")
                    .append(Target.model()).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"batch line ").append(i).append("\"}]}}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private final byte[] file = file();
    private final long maxPolls = (Target.duration().toMillis() + 60_000) / 200;

    private final ScenarioBuilder batch = scenario("batch upload and run")
            .exec(http("upload").post("/v1/files")
                    .bodyPart(StringBodyPart("purpose", "batch"))
                    .bodyPart(ByteArrayBodyPart("file", file).fileName("gatling.jsonl").contentType("application/jsonl"))
                    .asMultipartForm()
                    .check(status().is(200), jsonPath("$.id").saveAs("file")))
            .exitHereIfFailed()
            .exec(http("create").post("/v1/batches").header("content-type", "application/json")
                    .body(StringBody("{\"input_file_id\":\"#{file}\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"))
                    .check(status().is(200), jsonPath("$.id").saveAs("batch")))
            .exitHereIfFailed()
            .exec(session -> session.set("state", "validating").set("polls", 0))
            .asLongAs(session -> !isFinal(session.getString("state")) && session.getInt("polls") < maxPolls).on(
                    io.gatling.javaapi.core.CoreDsl.pause(Duration.ofMillis(200))
                            .exec(http("poll").get("/v1/batches/#{batch}")
                                    .check(status().is(200), jsonPath("$.status").saveAs("state")))
                            .exec(session -> session.set("polls", session.getInt("polls") + 1)))
            .exec(http("result").get("/v1/batches/#{batch}")
                    .check(status().is(200), jsonPath("$.status").is("completed"),
                            jsonPath("$.request_counts.completed").ofInt().is(LINES)));

    private static boolean isFinal(String state) {
        return switch (state) {
            case "completed", "failed", "expired", "cancelled" -> true;
            default -> false;
        };
    }

    {
        setUp(batch.injectOpen(atOnceUsers(USERS)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void after() {
        Target.stop();
    }
}
