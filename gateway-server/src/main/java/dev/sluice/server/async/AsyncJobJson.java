package dev.sluice.server.async;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.sluice.core.jobs.AsyncJob;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The {@code /v1/async} job object: {@code id}, {@code status}, {@code created_at}; once finished also
 * {@code completed_at}, {@code expires_at}, {@code status_code} and the {@code result} or {@code error} body.
 */
final class AsyncJobJson {

    private final ObjectMapper json;

    AsyncJobJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode of(AsyncJob job) {
        ObjectNode node = json.createObjectNode()
                .put("id", job.id())
                .put("status", job.status().wire())
                .put("created_at", rfc3339(job.createdAt()));
        if (!job.status().isFinal()) {
            return node;
        }
        node.put("completed_at", rfc3339(job.completedAt()));
        node.put("expires_at", rfc3339(job.expiresAt()));
        if (job.statusCode() != null) {
            node.put("status_code", job.statusCode());
        }
        if (job.result() != null) {
            node.putRawValue("result", raw(job.result()));
        }
        if (job.error() != null) {
            node.putRawValue("error", raw(job.error()));
        }
        return node;
    }

    private static RawValue raw(byte[] body) {
        // Stored bodies are the JSON the synchronous endpoint answered with: embedded as they are, not re-encoded.
        return new RawValue(new String(body, StandardCharsets.UTF_8));
    }

    static @Nullable String rfc3339(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
