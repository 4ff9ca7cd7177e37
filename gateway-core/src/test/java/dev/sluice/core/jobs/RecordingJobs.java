package dev.sluice.core.jobs;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job queue in front of a real one that watches the claims an executor makes (how many, asking for how many jobs,
 * how many at once) and can fail the next few claims or sweeps, as a database briefly down would.
 */
final class RecordingJobs implements AsyncJobRepository {

    private final AsyncJobRepository delegate;
    private final List<Integer> claimLimits = new CopyOnWriteArrayList<>();
    private final AtomicInteger claimsRunning = new AtomicInteger();
    private final AtomicInteger mostClaimsAtOnce = new AtomicInteger();
    private final AtomicInteger claimsDone = new AtomicInteger();
    private final AtomicInteger claimsToFail = new AtomicInteger();
    private final AtomicInteger sweepsToFail = new AtomicInteger();
    private final AtomicInteger sweepsDone = new AtomicInteger();

    RecordingJobs(AsyncJobRepository delegate) {
        this.delegate = delegate;
    }

    /** The limit of every claim asked for so far, failed ones included. */
    List<Integer> claimLimits() {
        return List.copyOf(claimLimits);
    }

    /** The most claims that were under way at the same time. */
    int mostClaimsAtOnce() {
        return mostClaimsAtOnce.get();
    }

    /** Claims that reached the database and ended. */
    int claimsDone() {
        return claimsDone.get();
    }

    /** Sweeps that reached the database and succeeded. */
    int sweepsDone() {
        return sweepsDone.get();
    }

    void failNextClaims(int count) {
        claimsToFail.set(count);
    }

    void failNextSweeps(int count) {
        sweepsToFail.set(count);
    }

    @Override
    public Flux<AsyncJob> findExhausted(Instant now, int maxAttempts, int limit) {
        return delegate.findExhausted(now, maxAttempts, limit);
    }

    @Override
    public Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
        return Flux.defer(() -> {
            claimLimits.add(limit);
            if (takeOne(claimsToFail)) {
                return Flux.error(new IllegalStateException("database down (test)"));
            }
            mostClaimsAtOnce.accumulateAndGet(claimsRunning.incrementAndGet(), Math::max);
            // Counted as over before the executor hears of the end, so that a next round is never taken for an overlap.
            return delegate.claim(owner, now, lease, limit, maxAttempts)
                    .doOnTerminate(this::claimOver)
                    .doOnCancel(this::claimOver);
        });
    }

    private void claimOver() {
        claimsRunning.decrementAndGet();
        claimsDone.incrementAndGet();
    }

    @Override
    public Mono<Long> deleteExpired(Instant now) {
        return Mono.defer(() -> takeOne(sweepsToFail)
                ? Mono.error(new IllegalStateException("database down (test)"))
                : delegate.deleteExpired(now).doOnSuccess(deleted -> sweepsDone.incrementAndGet()));
    }

    private static boolean takeOne(AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    @Override
    public Mono<AsyncJob> insert(AsyncJob job) {
        return delegate.insert(job);
    }

    @Override
    public Mono<AsyncJob> findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public Mono<Boolean> renewLease(String id, String owner, Instant until) {
        return delegate.renewLease(id, owner, until);
    }

    @Override
    public Mono<Boolean> finish(String id, String owner, JobStatus status, int statusCode, byte[] result, byte[] error,
                                Instant completedAt) {
        return delegate.finish(id, owner, status, statusCode, result, error, completedAt);
    }

    @Override
    public Mono<Boolean> cancel(String id, Instant now) {
        return delegate.cancel(id, now);
    }

    @Override
    public Mono<Long> releaseLeases(String owner) {
        return delegate.releaseLeases(owner);
    }

    @Override
    public Mono<Long> countByStatus(JobStatus status) {
        return delegate.countByStatus(status);
    }
}
