package dev.sluice.core.metrics;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;

/** Counts async jobs as they enter a state: submitted, then completed, failed or cancelled (only what was stored). */
final class MeteredJobRepository implements AsyncJobRepository {

    private final AsyncJobRepository delegate;
    private final GatewayMetrics metrics;

    MeteredJobRepository(AsyncJobRepository delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Mono<AsyncJob> insert(AsyncJob job) {
        return delegate.insert(job).doOnSuccess(stored -> count("submitted"));
    }

    @Override
    public Mono<AsyncJob> findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
        return delegate.claim(owner, now, lease, limit, maxAttempts);
    }

    @Override
    public Flux<AsyncJob> findExhausted(Instant now, int maxAttempts, int limit) {
        return delegate.findExhausted(now, maxAttempts, limit);
    }

    @Override
    public Mono<Boolean> renewLease(String id, String owner, Instant until) {
        return delegate.renewLease(id, owner, until);
    }

    @Override
    public Mono<Boolean> finish(String id, String owner, JobStatus status, int statusCode, byte[] result, byte[] error,
                                Instant completedAt) {
        return delegate.finish(id, owner, status, statusCode, result, error, completedAt)
                .doOnNext(stored -> {
                    if (stored) {
                        count(status.wire());
                    }
                });
    }

    @Override
    public Mono<Boolean> cancel(String id, Instant now) {
        return delegate.cancel(id, now).doOnNext(cancelled -> {
            if (cancelled) {
                count(JobStatus.CANCELLED.wire());
            }
        });
    }

    @Override
    public Mono<Long> deleteExpired(Instant now) {
        return delegate.deleteExpired(now);
    }

    @Override
    public Mono<Long> releaseLeases(String owner) {
        return delegate.releaseLeases(owner);
    }

    @Override
    public Mono<Long> countByStatus(JobStatus status) {
        return delegate.countByStatus(status);
    }

    private void count(String state) {
        metrics.count(MetricNames.JOBS, MetricNames.TAG_STATE, state);
    }
}
