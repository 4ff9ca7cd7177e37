package dev.sluice.core.jobs;

import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs one claimed job to its stored outcome while holding its lease. Losing the lease (the job was cancelled, or
 * another instance took it over) cancels the run, so that the upstream call stops and nothing is stored.
 */
final class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

    /** What a job whose runner broke its contract ends with; the cause stays in the log, not in the caller's data. */
    private static final JobOutcome INTERNAL_ERROR = JobOutcome.failed(500, ErrorEnvelope.envelope(new GatewayException(
            500, "server_error", "internal_error", null, "The job failed inside the gateway.")));

    private static final Duration MIN_RENEWAL = Duration.ofMillis(1);

    private final AsyncJobRepository jobs;
    private final JobRunner runner;
    private final Clock clock;
    private final Scheduler timer;
    private final Duration lease;
    private final Duration renewEvery;
    private final String owner;

    JobExecution(AsyncJobRepository jobs, JobRunner runner, Clock clock, Scheduler timer, Duration lease, String owner) {
        this.jobs = jobs;
        this.runner = runner;
        this.clock = clock;
        this.timer = timer;
        this.lease = lease;
        // A third of the lease leaves two renewals' worth of slack for a slow database before the lease lapses.
        Duration third = lease.dividedBy(3);
        this.renewEvery = third.compareTo(MIN_RENEWAL) < 0 ? MIN_RENEWAL : third;
        this.owner = owner;
    }

    /** Completes once the outcome is stored or the run is given up; never errors. */
    Mono<Void> run(AsyncJob job) {
        return outcome(job)
                .takeUntilOther(leaseLost(job.id()))
                .switchIfEmpty(Mono.<JobOutcome>fromRunnable(() -> log.debug("Job {} lost its lease; its run was cancelled", job.id())))
                .flatMap(outcome -> jobs.finish(job.id(), owner, outcome.status(), outcome.statusCode(), outcome.result(),
                        outcome.error(), clock.instant()))
                // false: cancelled or taken over meanwhile, which is not ours to report.
                .doOnNext(stored -> log.debug("Job {} finished (stored: {})", job.id(), stored))
                .onErrorResume(error -> {
                    log.warn("Storing the outcome of job {} failed; it runs again once its lease lapses", job.id(), error);
                    return Mono.empty();
                })
                .then();
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
                    return Mono.just(INTERNAL_ERROR);
                });
    }

    /** Emits once a renewal is refused; a renewal that errors (database briefly down) is tried again next time. */
    private Mono<Boolean> leaseLost(String id) {
        return Flux.interval(renewEvery, renewEvery, timer)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> jobs.renewLease(id, owner, clock.instant().plus(lease)))
                        .onErrorResume(error -> {
                            log.warn("Renewing the lease of job {} failed; trying again", id, error);
                            return Mono.just(true);
                        }), 1)
                .filter(renewed -> !renewed)
                .next();
    }
}
