package dev.sluice.core.internal.jobs;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.internal.lease.LeasedExecutor;
import dev.sluice.core.internal.lease.LeasedQueue;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobOutcome;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Runs queued async jobs of one instance with a bounded number in flight, each under a lease. */
public final class JobExecutor {

    private final LeasedExecutor<AsyncJob> executor;

    public JobExecutor(AsyncJobRepository jobs, JobRunner runner, Clock clock, Scheduler timer, ExecutorSettings settings,
                       String owner) {
        JobExecution execution = new JobExecution(jobs, runner, clock, owner);
        this.executor = new LeasedExecutor<>("jobs", new Queue(jobs, runner, clock), execution::run, clock, timer, settings, owner);
    }

    /**
     * Begins polling (with a first claim right away) and sweeping expired results; idempotent.
     *
     * @throws IllegalStateException when the executor was stopped: an executor runs once
     */
    public void start() {
        executor.start();
    }

    /** A job was just submitted on this instance: claim now instead of at the next poll. */
    public void wake() {
        executor.wake();
    }

    /** Stops, handing running jobs back to the queue for another instance or the next start. */
    public Mono<Void> stop() {
        return executor.stop();
    }

    /** Jobs running now. */
    public int inFlight() {
        return executor.inFlight();
    }

    /** Stops at once without handing jobs back, as a crashed instance would; for tests of taking work over. */
    public void crash() {
        executor.crash();
    }

    /** The job table as a leased queue. */
    private record Queue(AsyncJobRepository jobs, JobRunner runner, Clock clock) implements LeasedQueue<AsyncJob> {

        /** Jobs failed per look: the rest wait for the next poll, so one look never holds a connection long. */
        private static final int ABANDON_AT_ONCE = 100;

        @Override
        public Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
            return jobs.claim(owner, now, lease, limit, maxAttempts);
        }

        @Override
        public Mono<Long> abandon(Instant now, int maxAttempts) {
            return jobs.findExhausted(now, maxAttempts, ABANDON_AT_ONCE)
                    .concatMap(job -> {
                        JobOutcome failed = runner.failed(job, JobFailures.attemptsExhausted(maxAttempts));
                        // Under the lapsed lease's owner: a holder that comes back to life finds the job final.
                        return jobs.finish(job.id(), job.leaseOwner(), failed.status(), failed.statusCode(), null,
                                failed.error(), clock.instant());
                    })
                    .filter(Boolean::booleanValue)
                    .count();
        }

        @Override
        public Mono<Boolean> renew(AsyncJob job, String owner, Instant until) {
            return jobs.renewLease(job.id(), owner, until);
        }

        @Override
        public Mono<Long> release(String owner) {
            return jobs.releaseLeases(owner);
        }

        @Override
        public Mono<Long> sweep(Instant now) {
            return jobs.deleteExpired(now);
        }
    }
}
