package dev.sluice.core.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An inference request to be run in the background, and once run its outcome, as kept in the durable job queue.
 *
 * <p>The bodies are not copied, so that large ones are not duplicated on every read: treat them as read-only.
 * {@link #equals} and {@link #hashCode} compare them by content.
 *
 * @param id              a random version 4 UUID, unguessable
 * @param operation       the inference type path, e.g. {@code chat/completions}
 * @param ownerKeyId      the id of the virtual key that submitted the job, or {@code null} for a public job
 * @param request         the request body
 * @param defaultProvider the provider to route to when the request names none, or {@code null}
 * @param status          where the job is in its life
 * @param createdAt       when it was submitted
 * @param startedAt       when it was first claimed, or {@code null}
 * @param completedAt     when it became final, or {@code null}
 * @param resultTtl       how long the outcome is kept once final
 * @param expiresAt       {@code completedAt + resultTtl}, or {@code null} while not final
 * @param statusCode      the HTTP status of the outcome, or {@code null} while not final
 * @param result          the response body of a completed job, or {@code null}
 * @param error           the error body of a failed job, or {@code null}
 * @param leaseOwner      the instance running the job, or {@code null}
 * @param leaseExpiresAt  when that instance's claim lapses unless renewed, or {@code null}
 * @param attempts        how many times the job was claimed
 */
public record AsyncJob(
        String id,
        String operation,
        String ownerKeyId,
        byte[] request,
        String defaultProvider,
        JobStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Duration resultTtl,
        Instant expiresAt,
        Integer statusCode,
        byte[] result,
        byte[] error,
        String leaseOwner,
        Instant leaseExpiresAt,
        int attempts) {

    public AsyncJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(resultTtl, "resultTtl");
        if (resultTtl.isNegative()) {
            throw new IllegalArgumentException("resultTtl: " + resultTtl + " (expected: >= 0)");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
        }
    }

    /** A job just submitted: pending, never claimed, with no outcome yet. */
    public static AsyncJob submitted(String id, String operation, String ownerKeyId, byte[] request,
                                     String defaultProvider, Duration resultTtl, Instant now) {
        return new AsyncJob(id, operation, ownerKeyId, request, defaultProvider, JobStatus.PENDING, now,
                null, null, resultTtl, null, null, null, null, null, null, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AsyncJob that
                && attempts == that.attempts
                && id.equals(that.id)
                && operation.equals(that.operation)
                && Objects.equals(ownerKeyId, that.ownerKeyId)
                && Arrays.equals(request, that.request)
                && Objects.equals(defaultProvider, that.defaultProvider)
                && status == that.status
                && createdAt.equals(that.createdAt)
                && Objects.equals(startedAt, that.startedAt)
                && Objects.equals(completedAt, that.completedAt)
                && resultTtl.equals(that.resultTtl)
                && Objects.equals(expiresAt, that.expiresAt)
                && Objects.equals(statusCode, that.statusCode)
                && Arrays.equals(result, that.result)
                && Arrays.equals(error, that.error)
                && Objects.equals(leaseOwner, that.leaseOwner)
                && Objects.equals(leaseExpiresAt, that.leaseExpiresAt);
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(id, operation, ownerKeyId, defaultProvider, status, createdAt, startedAt, completedAt,
                resultTtl, expiresAt, statusCode, leaseOwner, leaseExpiresAt, attempts);
        hash = 31 * hash + Arrays.hashCode(request);
        hash = 31 * hash + Arrays.hashCode(result);
        return 31 * hash + Arrays.hashCode(error);
    }

    /** Bodies are shown by size only: they may be large, and they are the caller's data. */
    @Override
    public String toString() {
        return "AsyncJob[id=" + id + ", operation=" + operation + ", ownerKeyId=" + ownerKeyId
                + ", request=" + size(request) + ", defaultProvider=" + defaultProvider + ", status=" + status
                + ", createdAt=" + createdAt + ", startedAt=" + startedAt + ", completedAt=" + completedAt
                + ", resultTtl=" + resultTtl + ", expiresAt=" + expiresAt + ", statusCode=" + statusCode
                + ", result=" + size(result) + ", error=" + size(error) + ", leaseOwner=" + leaseOwner
                + ", leaseExpiresAt=" + leaseExpiresAt + ", attempts=" + attempts + "]";
    }

    private static String size(byte[] body) {
        return body == null ? "null" : body.length + " bytes";
    }
}
