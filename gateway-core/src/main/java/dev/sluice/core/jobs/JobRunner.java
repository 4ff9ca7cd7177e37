package dev.sluice.core.jobs;

import reactor.core.publisher.Mono;

/** Runs one claimed job through the gateway and tells how it ended; failures are outcomes, not errors. */
@FunctionalInterface
public interface JobRunner {

    Mono<JobOutcome> run(AsyncJob job);
}
