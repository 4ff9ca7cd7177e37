package dev.sluice.core.internal.jobs;

import dev.sluice.core.internal.lease.Faults;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobOutcome;
import dev.sluice.core.jobs.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Clock;

/**
 * Runs one claimed job to its stored outcome. The executor holds the lease and cancels this run when the
 * lease is lost (the job was cancelled or taken over), so that the upstream call stops and nothing is stored.
 */
final class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

    private final AsyncJobRepository jobs;
    private final JobRunner runner;
    private final Clock clock;
    private final String owner;

    JobExecution(AsyncJobRepository jobs, JobRunner runner, Clock clock, String owner) {
        this.jobs = jobs;
        this.runner = runner;
        this.clock = clock;
        this.owner = owner;
    }

    /** Completes once the outcome is stored; never errors. */
    Mono<Void> run(AsyncJob job) {
        return outcome(job)
                .flatMap(outcome -> store(job, outcome)
                        // The store refused the outcome for good: running the job again would end the same way, after
                        // paying for the upstream call again. A failure it can hold says so instead.
                        .onErrorResume(error -> !Faults.isTransient(error), refused -> {
                            log.warn("The store refused the outcome of job {}; the job fails with result_not_stored", job.id(), refused);
                            return store(job, runner.failed(job, JobFailures.resultNotStored()));
                        }))
                // false: cancelled or taken over meanwhile, which is not ours to report.
                .doOnNext(stored -> log.debug("Job {} finished (stored: {})", job.id(), stored))
                .onErrorResume(error -> {
                    log.warn("Storing the outcome of job {} failed; it runs again once its lease lapses (attempt {})",
                            job.id(), job.attempts(), error);
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Boolean> store(AsyncJob job, JobOutcome outcome) {
        return jobs.finish(job.id(), owner, outcome.status(), outcome.statusCode(), outcome.result(), outcome.error(),
                clock.instant());
    }

    private Mono<JobOutcome> outcome(AsyncJob job) {
        return Mono.defer(() -> runner.run(job))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the runner completed without an outcome")))
                .map(outcome -> {
                    if (outcome.status() != JobStatus.COMPLETED && outcome.status() != JobStatus.FAILED) {
                        throw new IllegalStateException("the runner answered status " + outcome.status()
                                + " (expected: COMPLETED or FAILED)");
                    }
                    return outcome;
                })
                .onErrorResume(error -> {
                    log.warn("Job {} failed in its runner; stored as an internal error", job.id(), error);
                    return Mono.just(runner.failed(job, JobFailures.internalError()));
                });
    }
}
