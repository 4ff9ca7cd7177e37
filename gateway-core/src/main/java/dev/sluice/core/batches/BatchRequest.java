package dev.sluice.core.batches;

import java.time.Duration;
import java.util.Map;

/**
 * What a caller asks for when creating a batch.
 *
 * @param inputFileId        an uploaded file of purpose {@code batch}
 * @param endpoint           the inference endpoint every line calls, e.g. {@code /v1/chat/completions}
 * @param completionWindow   {@code 24h}
 * @param metadata           up to 16 keys of 64 characters with values of 512
 * @param outputExpiresAfter how long the output and error files are kept, or {@code null} for their default
 */
public record BatchRequest(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata,
                           Duration outputExpiresAfter) {

    public BatchRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
