package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobOutcome;
import reactor.core.publisher.Mono;

/** Runs one claimed job through the gateway and tells how it ended; failures are outcomes, not errors. */
@FunctionalInterface
public interface JobRunner {

    Mono<JobOutcome> run(AsyncJob job);

    /** The outcome of a job that failed without an answer, its error in the job's own wire format (by default OpenAI's). */
    default JobOutcome failed(AsyncJob job, GatewayException failure) {
        return JobOutcome.failed(failure.status(), OpenAiFormat.OPENAI.errorBody(failure));
    }
}
