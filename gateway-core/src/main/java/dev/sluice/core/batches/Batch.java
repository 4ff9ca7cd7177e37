package dev.sluice.core.batches;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A batch: a JSONL input file of requests that the gateway runs line by line against the providers, and
 * where it stands. Timestamps are {@code null} until the batch reaches that state.
 *
 * @param outputExpiresAfter how long the output and error files are kept, or {@code null} for their default
 * @param leaseOwner         the instance running the batch, or {@code null}
 * @param attempts           how many times the batch was claimed without being handed back
 */
public record Batch(
        String id,
        String ownerKeyId,
        String endpoint,
        String inputFileId,
        String completionWindow,
        BatchStatus status,
        String outputFileId,
        String errorFileId,
        Instant createdAt,
        Instant inProgressAt,
        Instant expiresAt,
        Instant finalizingAt,
        Instant completedAt,
        Instant failedAt,
        Instant expiredAt,
        Instant cancellingAt,
        Instant cancelledAt,
        BatchCounts counts,
        Map<String, String> metadata,
        List<BatchError> errors,
        String model,
        BatchUsage usage,
        Duration outputExpiresAfter,
        String leaseOwner,
        Instant leaseExpiresAt,
        int attempts) {

    public Batch {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? BatchCounts.NONE : counts;
        usage = usage == null ? BatchUsage.NONE : usage;
        errors = errors == null ? List.of() : List.copyOf(errors);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
        }
    }

    /** A batch never claimed yet. */
    public Batch(String id, String ownerKeyId, String endpoint, String inputFileId, String completionWindow, BatchStatus status,
                 String outputFileId, String errorFileId, Instant createdAt, Instant inProgressAt, Instant expiresAt,
                 Instant finalizingAt, Instant completedAt, Instant failedAt, Instant expiredAt, Instant cancellingAt,
                 Instant cancelledAt, BatchCounts counts, Map<String, String> metadata, List<BatchError> errors, String model,
                 BatchUsage usage, Duration outputExpiresAfter, String leaseOwner, Instant leaseExpiresAt) {
        this(id, ownerKeyId, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt, inProgressAt,
                expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt, counts, metadata, errors,
                model, usage, outputExpiresAfter, leaseOwner, leaseExpiresAt, 0);
    }

    /** A batch just created: validating, with nothing run yet. */
    public static Batch created(String id, String ownerKeyId, String endpoint, String inputFileId, String completionWindow,
                                Map<String, String> metadata, Duration outputExpiresAfter, Instant now, Duration window) {
        return new Batch(id, ownerKeyId, endpoint, inputFileId, completionWindow, BatchStatus.VALIDATING, null, null,
                now, null, now.plus(window), null, null, null, null, null, null, BatchCounts.NONE, metadata, List.of(), null,
                BatchUsage.NONE, outputExpiresAfter, null, null);
    }

    /** The same batch in another state, with that state's timestamp set to {@code at}. */
    public Batch moveTo(BatchStatus next, Instant at) {
        return new Batch(id, ownerKeyId, endpoint, inputFileId, completionWindow, next, outputFileId, errorFileId, createdAt,
                next == BatchStatus.IN_PROGRESS ? at : inProgressAt, expiresAt,
                next == BatchStatus.FINALIZING ? at : finalizingAt,
                next == BatchStatus.COMPLETED ? at : completedAt,
                next == BatchStatus.FAILED ? at : failedAt,
                next == BatchStatus.EXPIRED ? at : expiredAt,
                next == BatchStatus.CANCELLING ? at : cancellingAt,
                next == BatchStatus.CANCELLED ? at : cancelledAt,
                counts, metadata, errors, model, usage, outputExpiresAfter, leaseOwner, leaseExpiresAt, attempts);
    }

    public Batch withErrors(List<BatchError> newErrors) {
        return new Batch(id, ownerKeyId, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt, counts, metadata,
                newErrors, model, usage, outputExpiresAfter, leaseOwner, leaseExpiresAt, attempts);
    }

    public Batch withTotal(int total) {
        return new Batch(id, ownerKeyId, endpoint, inputFileId, completionWindow, status, outputFileId, errorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt,
                new BatchCounts(total, counts.completed(), counts.failed()), metadata, errors, model, usage, outputExpiresAfter,
                leaseOwner, leaseExpiresAt, attempts);
    }

    public Batch withFiles(String newOutputFileId, String newErrorFileId) {
        return new Batch(id, ownerKeyId, endpoint, inputFileId, completionWindow, status, newOutputFileId, newErrorFileId, createdAt,
                inProgressAt, expiresAt, finalizingAt, completedAt, failedAt, expiredAt, cancellingAt, cancelledAt, counts, metadata,
                errors, model, usage, outputExpiresAfter, leaseOwner, leaseExpiresAt, attempts);
    }
}
