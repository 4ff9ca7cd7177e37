package dev.sluice.core.internal.batches;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.lease.LeasedExecutor;
import dev.sluice.core.internal.lease.LeasedQueue;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Runs the batches of one instance: a bounded number at once, each under a lease so that instances sharing
 * a store split the batches and a crashed instance's batches are resumed; each batch runs a bounded
 * number of lines at once. Its sweep also deletes expired files.
 */
public final class BatchExecutor {

    /** How often a running batch looks for a cancel request. */
    private static final Duration STATUS_POLL = Duration.ofMillis(250);

    private final LeasedExecutor<Batch> executor;

    /**
     * @param settings    {@code maxConcurrency} is the number of batches running at once on this instance
     * @param linesAtOnce lines of one batch in flight at once
     */
    public BatchExecutor(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway,
                         Clock clock, Scheduler timer, ExecutorSettings settings, int linesAtOnce, String owner) {
        if (linesAtOnce <= 0) {
            throw new IllegalArgumentException("batch.max_concurrency_per_batch: " + linesAtOnce + " (expected: > 0)");
        }
        BatchRun run = new BatchRun(batches, files, gateway, clock, timer, linesAtOnce, STATUS_POLL, owner);
        this.executor = new LeasedExecutor<>("batches", new Queue(batches, files), run, clock, timer, settings, owner);
    }

    public void start() {
        executor.start();
    }

    /** A batch was created or cancelled on this instance: look at once instead of at the next poll. */
    public void wake() {
        executor.wake();
    }

    /** Stops, handing running batches back for another instance or the next start, which resume them. */
    public Mono<Void> stop() {
        return executor.stop();
    }

    /** Batches running now. */
    public int inFlight() {
        return executor.inFlight();
    }

    /** Stops at once without handing batches back, as a crashed instance would; for tests of resuming. */
    public void crash() {
        executor.crash();
    }

    /** The batch table as a leased queue; the sweep is the files'. */
    private record Queue(BatchRepository batches, FileService files) implements LeasedQueue<Batch> {
        @Override
        public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit) {
            return batches.claim(owner, now, lease, limit);
        }

        @Override
        public Mono<Boolean> renew(Batch batch, String owner, Instant until) {
            return batches.renewLease(batch.id(), owner, until);
        }

        @Override
        public Mono<Long> release(String owner) {
            return batches.releaseLeases(owner);
        }

        @Override
        public Mono<Long> sweep(Instant now) {
            return files.sweepExpired();
        }
    }
}
