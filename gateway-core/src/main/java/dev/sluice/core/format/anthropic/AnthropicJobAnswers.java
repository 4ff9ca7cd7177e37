package dev.sluice.core.format.anthropic;

import dev.sluice.core.format.json.Json;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages as async jobs show them ({@code x-bf-async} on the Anthropic route): while a job waits or runs, a Message
 * with the job's id and no content; once it has run, the provider's Message with the job's id.
 */
public final class AnthropicJobAnswers {

    private AnthropicJobAnswers() {
    }

    /** The provider's Message once there is one, else a Message with no content; either way its id is the job's. */
    public static byte[] of(AsyncJob job) {
        Map<String, Object> message = job.status() == JobStatus.COMPLETED ? answer(job).orElseGet(() -> pending(job)) : pending(job);
        message.put("id", job.id());
        return Json.writeBytes(message);
    }

    private static Map<String, Object> pending(AsyncJob job) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", job.id());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model(job));
        message.put("content", List.of());
        message.put("stop_reason", null);
        message.put("stop_sequence", null);
        message.put("usage", Json.object("input_tokens", 0L, "output_tokens", 0L));
        return message;
    }

    /** Checked to be JSON when it arrived; when it is not an object after all, the job is described instead. */
    private static Optional<Map<String, Object>> answer(AsyncJob job) {
        try {
            return Optional.of(Json.parseObject(job.result(), "result"));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Object model(AsyncJob job) {
        try {
            return Json.parseObject(job.request(), "request").get("model") instanceof String model ? model : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
