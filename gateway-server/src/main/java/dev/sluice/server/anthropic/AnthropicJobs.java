package dev.sluice.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.Operation;
import dev.sluice.server.async.AsyncHeaders;
import dev.sluice.server.async.AsyncRoutes;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;

/**
 * Messages run as jobs through {@code x-bf-async} (submit) and {@code x-bf-async-id} (retrieve): while a job waits or
 * runs it is a Message with the job's id and no content; once it has run, the provider's Message with the job's id;
 * a failed job answers with its status and Anthropic-shaped error, as the synchronous call would have.
 */
final class AnthropicJobs {

    private static final JobType TYPE = new JobType(WireFormat.ANTHROPIC, Operation.CHAT_COMPLETIONS);

    private final AsyncJobService jobs;
    private final ObjectMapper json;

    AnthropicJobs(AsyncJobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    Mono<Void> submit(HttpServerResponse response, GatewayRequest request, HttpHeaders headers) {
        return jobs.submit(request, AsyncHeaders.resultTtl(headers).orElse(null)).flatMap(job -> Json.ok(response, message(job)));
    }

    Mono<Void> retrieve(HttpServerResponse response, String id, HttpHeaders headers) {
        return jobs.find(id, TYPE, CallerHeaders.from(headers))
                .switchIfEmpty(Mono.error(() -> AsyncRoutes.notFound(id)))
                .flatMap(job -> job.status() == JobStatus.FAILED && job.error() != null
                        ? Json.send(response, HttpResponseStatus.valueOf(job.statusCode() == null ? 500 : job.statusCode()), job.error())
                        : Json.ok(response, message(job)));
    }

    /** The provider's Message once there is one, else a Message with no content; either way its id is the job's. */
    private byte[] message(AsyncJob job) {
        ObjectNode message = job.status() == JobStatus.COMPLETED ? answer(job) : null;
        if (message == null) {
            message = json.createObjectNode().put("id", job.id()).put("type", "message").put("role", "assistant")
                    .put("model", model(job));
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        }
        message.put("id", job.id());
        return Json.bytes(json, message);
    }

    private ObjectNode answer(AsyncJob job) {
        try {
            return json.readTree(job.result()) instanceof ObjectNode answer ? answer : null;
        } catch (IOException unreadable) {
            return null; // checked to be JSON when it arrived; describe the job instead
        }
    }

    private String model(AsyncJob job) {
        try {
            JsonNode model = json.readTree(job.request()).path("model");
            return model.isTextual() ? model.asText() : null;
        } catch (IOException unreadable) {
            return null;
        }
    }
}
