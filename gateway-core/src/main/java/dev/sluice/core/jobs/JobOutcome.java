package dev.sluice.core.jobs;

/**
 * How a job ended: the status, the HTTP status code its synchronous twin would have answered, and the
 * response body or the error body.
 *
 * @param status     {@link JobStatus#COMPLETED} or {@link JobStatus#FAILED}
 * @param statusCode 200 for a completed job; the failure's status, or 500 when it had none
 * @param result     the response body of a completed job, else {@code null}
 * @param error      the error body (OpenAI envelope) of a failed job, else {@code null}
 */
public record JobOutcome(JobStatus status, int statusCode, byte[] result, byte[] error) {

    public static JobOutcome completed(byte[] body) {
        return new JobOutcome(JobStatus.COMPLETED, 200, body, null);
    }

    public static JobOutcome failed(int statusCode, byte[] errorBody) {
        return new JobOutcome(JobStatus.FAILED, statusCode, null, errorBody);
    }
}
