package dev.sluice.core.format.openai;

import dev.sluice.core.format.ParsedBody;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.jobs.AsyncJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Responses as jobs show them (OpenAI's background mode, and {@code x-bf-async} on the integration route): the
 * provider's Responses object once there is one, else an object with every field the official SDKs require and the
 * job's state as its {@code status}; its {@code id} is the job's either way.
 */
public final class ResponsesJobAnswers {

    private ResponsesJobAnswers() {
    }

    /** The provider's answer, or an object describing the job's state. */
    public static byte[] of(AsyncJob job) {
        Map<String, Object> object = switch (job.status()) {
            case COMPLETED -> answer(job).orElseGet(() -> placeholder(job, "completed"));
            case PENDING -> placeholder(job, "queued");
            case PROCESSING -> placeholder(job, "in_progress");
            case CANCELLED -> placeholder(job, "cancelled");
            case FAILED -> failed(job);
        };
        return Json.writeBytes(object);
    }

    /** The provider's answer was checked to be JSON when it arrived; when it is not an object, the job is described. */
    private static Optional<Map<String, Object>> answer(AsyncJob job) {
        try {
            Map<String, Object> answer = Json.parseObject(job.result(), "result");
            answer.put("id", job.id());
            return Optional.of(answer);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> failed(AsyncJob job) {
        Map<String, Object> object = placeholder(job, "failed");
        Map<String, Object> error = storedError(job);
        object.put("error", Json.object(
                "code", error.get("code") instanceof String code ? code : error.get("type") instanceof String type ? type : "server_error",
                "message", error.get("message") instanceof String message ? message
                        : "The job failed with status " + job.statusCode() + "."));
        return object;
    }

    private static Map<String, Object> storedError(AsyncJob job) {
        try {
            Object error = job.error() == null ? null : Json.parseObject(job.error(), "error").get("error");
            return error instanceof Map<?, ?> map ? Json.cast(map) : Map.of();
        } catch (RuntimeException unreadable) {
            return Map.of();
        }
    }

    private static Map<String, Object> placeholder(AsyncJob job, String status) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", job.id());
        object.put("object", "response");
        object.put("created_at", job.createdAt().getEpochSecond());
        object.put("status", status);
        object.put("background", true);
        object.put("model", model(job));
        object.put("error", null);
        object.put("incomplete_details", null);
        object.put("instructions", null);
        object.put("metadata", Map.of());
        object.put("output", List.of());
        object.put("parallel_tool_calls", true);
        object.put("temperature", null);
        object.put("tool_choice", "auto");
        object.put("tools", List.of());
        object.put("top_p", null);
        object.put("usage", null);
        return object;
    }

    private static String model(AsyncJob job) {
        return RequestBody.read(job.request()) instanceof ParsedBody.Valid valid ? valid.body().model() : "";
    }
}
