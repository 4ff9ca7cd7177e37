package dev.sluice.core.internal.jobs;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobOutcome;
import reactor.core.publisher.Mono;

/** Runs one claimed job through the gateway and tells how it ended; failures are outcomes, not errors. */
@FunctionalInterface
public interface JobRunner {

    Mono<JobOutcome> run(AsyncJob job);
}
