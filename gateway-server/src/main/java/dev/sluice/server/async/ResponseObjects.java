package dev.sluice.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.request.ParsedBody;
import dev.sluice.core.request.RequestBody;

import java.io.IOException;

/**
 * A job as an OpenAI Responses object, for background mode and the {@code x-bf-async} headers: its id is
 * always the job's id, its status {@code queued}, {@code in_progress}, {@code cancelled} or {@code failed}
 * while there is no answer, and the provider's own Responses object once there is one.
 */
final class ResponseObjects {

    private final ObjectMapper json;

    ResponseObjects(ObjectMapper json) {
        this.json = json;
    }

    /** The provider's answer, or an object describing the job's state; its {@code id} is the job id. */
    ObjectNode of(AsyncJob job) {
        return switch (job.status()) {
            case COMPLETED -> answer(job);
            case PENDING -> placeholder(job, "queued");
            case PROCESSING -> placeholder(job, "in_progress");
            case CANCELLED -> placeholder(job, "cancelled");
            case FAILED -> failed(job);
        };
    }

    private ObjectNode answer(AsyncJob job) {
        try {
            JsonNode answer = json.readTree(job.result());
            if (answer instanceof ObjectNode object) {
                object.put("id", job.id());
                return object;
            }
        } catch (IOException unreadable) {
            // The provider's answer was checked to be JSON when it arrived; describe the job instead.
        }
        return placeholder(job, "completed");
    }

    private ObjectNode failed(AsyncJob job) {
        ObjectNode node = placeholder(job, "failed");
        JsonNode error = readError(job);
        ObjectNode described = node.putObject("error");
        described.put("code", error.path("code").isTextual() ? error.path("code").asText() : error.path("type").asText("server_error"));
        described.put("message", error.path("message").asText("The job failed with status " + job.statusCode() + "."));
        return node;
    }

    private JsonNode readError(AsyncJob job) {
        try {
            return job.error() == null ? json.createObjectNode() : json.readTree(job.error()).path("error");
        } catch (IOException unreadable) {
            return json.createObjectNode();
        }
    }

    /** Every field the official SDKs require of a Responses object, with the state of the job. */
    private ObjectNode placeholder(AsyncJob job, String status) {
        ObjectNode node = json.createObjectNode()
                .put("id", job.id())
                .put("object", "response")
                .put("created_at", job.createdAt().getEpochSecond())
                .put("status", status)
                .put("background", true)
                .put("model", model(job));
        node.putNull("error");
        node.putNull("incomplete_details");
        node.putNull("instructions");
        node.putObject("metadata");
        node.putArray("output");
        node.put("parallel_tool_calls", true);
        node.putNull("temperature");
        node.put("tool_choice", "auto");
        node.putArray("tools");
        node.putNull("top_p");
        node.putNull("usage");
        return node;
    }

    private static String model(AsyncJob job) {
        return RequestBody.read(job.request()) instanceof ParsedBody.Valid valid ? valid.body().model() : "";
    }
}
