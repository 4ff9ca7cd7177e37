package dev.sluice.server.batches;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchError;

import java.time.Instant;

/** OpenAI's batch object, with two extensions: {@code model} (the first model that answered) and {@code usage}. */
final class BatchJson {

    private final ObjectMapper json;

    BatchJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode of(Batch batch) {
        ObjectNode node = json.createObjectNode()
                .put("id", batch.id())
                .put("object", "batch")
                .put("endpoint", batch.endpoint());
        if (batch.errors().isEmpty()) {
            node.putNull("errors");
        } else {
            ArrayNode data = node.putObject("errors").put("object", "list").putArray("data");
            for (BatchError error : batch.errors()) {
                data.addObject().put("code", error.code()).put("message", error.message()).put("param", error.param()).put("line", error.line());
            }
        }
        node.put("input_file_id", batch.inputFileId())
                .put("completion_window", batch.completionWindow())
                .put("status", batch.status().wire())
                .put("output_file_id", batch.outputFileId())
                .put("error_file_id", batch.errorFileId());
        epoch(node, "created_at", batch.createdAt());
        epoch(node, "in_progress_at", batch.inProgressAt());
        epoch(node, "expires_at", batch.expiresAt());
        epoch(node, "finalizing_at", batch.finalizingAt());
        epoch(node, "completed_at", batch.completedAt());
        epoch(node, "failed_at", batch.failedAt());
        epoch(node, "expired_at", batch.expiredAt());
        epoch(node, "cancelling_at", batch.cancellingAt());
        epoch(node, "cancelled_at", batch.cancelledAt());
        node.putObject("request_counts")
                .put("total", batch.counts().total())
                .put("completed", batch.counts().completed())
                .put("failed", batch.counts().failed());
        ObjectNode metadata = node.putObject("metadata");
        batch.metadata().forEach(metadata::put);
        node.put("model", batch.model());
        ObjectNode usage = node.putObject("usage")
                .put("input_tokens", batch.usage().inputTokens())
                .put("output_tokens", batch.usage().outputTokens())
                .put("total_tokens", batch.usage().totalTokens());
        usage.putObject("input_tokens_details").put("cached_tokens", batch.usage().cachedTokens());
        usage.putObject("output_tokens_details").put("reasoning_tokens", batch.usage().reasoningTokens());
        return node;
    }

    private static void epoch(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        } else {
            node.put(field, instant.getEpochSecond());
        }
    }
}
