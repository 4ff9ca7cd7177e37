package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.GatewayException;

/** How jobs fail that the gateway itself could not bring to an answer; the runner puts them in the job's format. */
final class JobFailures {

    private JobFailures() {
    }

    /** Every attempt's holder stopped before the job ended (crashes, or work that kept failing). */
    static GatewayException attemptsExhausted(int maxAttempts) {
        return failure("attempts_exhausted", "The job was not finished after " + maxAttempts
                + " attempts: each time, the gateway instance running it stopped before it ended.");
    }

    /** The answer came, but the store refused it for good: it is not sent upstream again. */
    static GatewayException resultNotStored() {
        return failure("result_not_stored", "The job ran, but the gateway could not store its result.");
    }

    /** The runner broke its contract; the cause stays in the log, not in the caller's data. */
    static GatewayException internalError() {
        return failure("internal_error", "The job failed inside the gateway.");
    }

    private static GatewayException failure(String code, String message) {
        return new GatewayException(500, "server_error", code, null, message);
    }
}
