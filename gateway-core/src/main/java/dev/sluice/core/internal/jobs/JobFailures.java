package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobOutcome;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.provider.WireFormat;

/** The outcomes of jobs that the gateway itself could not bring to an answer, in the job's own wire format. */
final class JobFailures {

    private JobFailures() {
    }

    /** Every attempt's holder stopped before the job ended (crashes, or work that kept failing). */
    static JobOutcome attemptsExhausted(AsyncJob job, int maxAttempts) {
        return failed(job, "attempts_exhausted", "The job was not finished after " + maxAttempts
                + " attempts: each time, the gateway instance running it stopped before it ended.");
    }

    /** The answer came, but the store refused it for good: it is not sent upstream again. */
    static JobOutcome resultNotStored(AsyncJob job) {
        return failed(job, "result_not_stored", "The job ran, but the gateway could not store its result.");
    }

    /** The runner broke its contract; the cause stays in the log, not in the caller's data. */
    static JobOutcome internalError(AsyncJob job) {
        return failed(job, "internal_error", "The job failed inside the gateway.");
    }

    private static JobOutcome failed(AsyncJob job, String code, String message) {
        JobType type = JobType.parse(job.operation());
        WireFormat format = type == null ? WireFormat.OPENAI : type.format();
        return JobOutcome.failed(500, ErrorEnvelope.bodyOf(new GatewayException(500, "server_error", code, null, message), format));
    }
}
