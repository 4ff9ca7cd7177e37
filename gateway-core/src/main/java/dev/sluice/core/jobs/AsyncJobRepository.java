package dev.sluice.core.jobs;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;

/**
 * The durable queue of asynchronous jobs. Instances sharing one database split the work by leases: a job is run by
 * the instance that claimed it, and a job whose lease lapsed (its instance crashed) is claimed again by another.
 * Instants are kept to the millisecond.
 */
public interface AsyncJobRepository {

    /** Stores a new job; errors when a job of that id exists. Emits the job as it reads back. */
    Mono<AsyncJob> insert(AsyncJob job);

    Mono<AsyncJob> findById(String id);

    /**
     * Claims up to {@code limit} jobs for {@code owner}, oldest first: pending ones, and processing ones whose
     * lease lapsed before {@code now}. Each becomes processing, leased to {@code owner} until {@code now + lease},
     * started at {@code now} unless it had started before, with one more attempt. Safe across instances: a job is
     * claimed by exactly one caller. Emits the claimed jobs as they now read, oldest first, once all are claimed;
     * a claim cancelled before then may leave jobs leased to {@code owner} unseen, to be claimed again when that
     * lease lapses.
     */
    default Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit) {
        return claim(owner, now, lease, limit, Integer.MAX_VALUE);
    }

    /**
     * As {@link #claim(String, Instant, Duration, int)}, taking only jobs that were claimed fewer than
     * {@code maxAttempts} times: each claim counts one attempt (a job handed back by {@link #releaseLeases} gets its
     * attempt back).
     */
    Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts);

    /**
     * Up to {@code limit} jobs still processing whose lease lapsed at {@code now} after {@code maxAttempts} or more
     * attempts: no instance may claim them again, so they are to be finished as failed (under the lapsed lease's
     * owner, with {@link #finish}).
     */
    Flux<AsyncJob> findExhausted(Instant now, int maxAttempts, int limit);

    /** Extends the lease to {@code until} if {@code owner} still holds it and the job is processing; emits whether it did. */
    Mono<Boolean> renewLease(String id, String owner, Instant until);

    /**
     * Records the outcome of a job: {@code status} ({@link JobStatus#COMPLETED} or {@link JobStatus#FAILED}), the
     * status code and the result or error body, {@code completedAt}, and an expiry of {@code completedAt} plus the
     * job's result TTL; the lease is released. Applies only if {@code owner} still holds the lease and the job is
     * processing, so a job cancelled or claimed by another meanwhile is left alone. Emits whether it applied.
     */
    Mono<Boolean> finish(String id, String owner, JobStatus status, int statusCode, byte[] result, byte[] error,
                         Instant completedAt);

    /** Cancels a job that is not final yet, expiring at {@code now} plus its result TTL; emits whether it did. */
    Mono<Boolean> cancel(String id, Instant now);

    /** Deletes final jobs whose expiry is at or before {@code now}; emits how many. */
    Mono<Long> deleteExpired(Instant now);

    /** Hands the processing jobs leased to {@code owner} back to pending, for a graceful shutdown; emits how many. */
    Mono<Long> releaseLeases(String owner);

    Mono<Long> countByStatus(JobStatus status);
}
