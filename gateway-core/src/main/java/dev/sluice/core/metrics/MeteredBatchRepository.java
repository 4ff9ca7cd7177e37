package dev.sluice.core.metrics;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Counts batches as they enter a state, and batch lines as their results are recorded (succeeded or failed); only
 * what was stored counts, so a line recorded twice by two instances counts once.
 */
final class MeteredBatchRepository implements BatchRepository {

    private final BatchRepository delegate;
    private final GatewayMetrics metrics;

    MeteredBatchRepository(BatchRepository delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Mono<Batch> insert(Batch batch) {
        return delegate.insert(batch).doOnSuccess(stored -> state(batch.status()));
    }

    @Override
    public Mono<Batch> findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public Flux<Batch> list(String ownerKeyId, String afterId, int limit) {
        return delegate.list(ownerKeyId, afterId, limit);
    }

    @Override
    public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
        return delegate.claim(owner, now, lease, limit, maxAttempts);
    }

    @Override
    public Flux<Batch> findExhausted(Instant now, int maxAttempts, int limit) {
        return delegate.findExhausted(now, maxAttempts, limit);
    }

    @Override
    public Mono<Boolean> readsFile(String fileId) {
        return delegate.readsFile(fileId);
    }

    @Override
    public Mono<Boolean> renewLease(String id, String owner, Instant until) {
        return delegate.renewLease(id, owner, until);
    }

    @Override
    public Mono<Boolean> update(Batch batch, String owner, BatchStatus expected) {
        return delegate.update(batch, owner, expected).doOnNext(stored -> {
            if (stored && batch.status() != expected) {
                state(batch.status());
            }
        });
    }

    @Override
    public Mono<Boolean> requestCancel(String id, Instant now) {
        return delegate.requestCancel(id, now).doOnNext(stored -> {
            if (stored) {
                state(BatchStatus.CANCELLING);
            }
        });
    }

    @Override
    public Mono<Boolean> recordResult(String batchId, LineResult result) {
        return delegate.recordResult(batchId, result).doOnNext(stored -> {
            if (stored) {
                line(result);
            }
        });
    }

    @Override
    public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
        // The repository says how many were new, not which; the lines recorded in groups (expired ones) are all failures.
        return delegate.recordResults(batchId, results).doOnNext(recorded -> {
            if (recorded == results.size()) {
                results.forEach(this::line);
            } else if (recorded > 0) {
                boolean allFailed = results.stream().allMatch(LineResult::error);
                metrics.count(MetricNames.BATCH_LINES, MetricNames.TAG_STATE, allFailed ? "failed" : "unknown", recorded);
            }
        });
    }

    @Override
    public Flux<Integer> finishedLines(String batchId) {
        return delegate.finishedLines(batchId);
    }

    @Override
    public Flux<LineResult> results(String batchId, boolean errors) {
        return delegate.results(batchId, errors);
    }

    @Override
    public Mono<Long> releaseLeases(String owner) {
        return delegate.releaseLeases(owner);
    }

    private void state(BatchStatus status) {
        metrics.count(MetricNames.BATCHES, MetricNames.TAG_STATE, status.wire());
    }

    private void line(LineResult result) {
        metrics.count(MetricNames.BATCH_LINES, MetricNames.TAG_STATE, result.error() ? "failed" : "succeeded");
    }
}
