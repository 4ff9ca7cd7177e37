package dev.sluice.core.internal.batches;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchError;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.lease.LeasedExecutor;
import dev.sluice.core.internal.lease.LeasedQueue;
import dev.sluice.core.internal.resilience.Randomness;
import dev.sluice.core.internal.resilience.RetryRule;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs the batches of one instance: a bounded number at once, each under a lease so that instances sharing
 * a store split the batches and a crashed instance's batches are resumed; each batch runs a bounded
 * number of lines at once. Its sweep also deletes expired files.
 */
public final class BatchExecutor {

    /** How often a running batch looks for a cancel request. */
    private static final Duration STATUS_POLL = Duration.ofMillis(250);

    private final LeasedExecutor<Batch> executor;

    /** With {@link BatchLimits#DEFAULTS}. */
    public BatchExecutor(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway,
                         Clock clock, Scheduler timer, ExecutorSettings settings, int linesAtOnce, String owner) {
        this(batches, files, gateway, clock, timer, settings, linesAtOnce, BatchLimits.DEFAULTS, owner);
    }

    /** With {@link Randomness#threadLocal()} for the jitter of line retries. */
    public BatchExecutor(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway,
                         Clock clock, Scheduler timer, ExecutorSettings settings, int linesAtOnce, BatchLimits limits, String owner) {
        this(batches, files, gateway, clock, timer, Randomness.threadLocal(), settings, linesAtOnce, limits, owner);
    }

    /**
     * @param timer       waits between the tries of a line, and polls for cancels
     * @param random      draws the jitter of the waits between the tries of a line
     * @param settings    {@code maxConcurrency} is the number of batches running at once on this instance
     * @param linesAtOnce lines of one batch in flight at once
     * @param limits      what one input file may hold
     */
    public BatchExecutor(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway,
                         Clock clock, Scheduler timer, RandomGenerator random, ExecutorSettings settings, int linesAtOnce,
                         BatchLimits limits, String owner) {
        if (linesAtOnce <= 0) {
            throw new IllegalArgumentException("batch.max_concurrency_per_batch: " + linesAtOnce + " (expected: > 0)");
        }
        BatchRun run = new BatchRun(batches, files, gateway, clock, timer, linesAtOnce, STATUS_POLL, owner, limits,
                settings.maxAttempts(), RetryRule.forBatchLines(random));
        this.executor = new LeasedExecutor<>("batches", new Queue(batches, files, clock), run, clock, timer, settings, owner);
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
    private record Queue(BatchRepository batches, FileService files, Clock clock) implements LeasedQueue<Batch> {

        /** Batches failed per look: the rest wait for the next poll. */
        private static final int ABANDON_AT_ONCE = 16;

        @Override
        public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
            return batches.claim(owner, now, lease, limit, maxAttempts);
        }

        /**
         * Even the last attempt, which only writes what finished, died: the batch fails as it stands, without files,
         * under the lapsed lease's owner (so a holder that comes back to life finds it final).
         */
        @Override
        public Mono<Long> abandon(Instant now, int maxAttempts) {
            return batches.findExhausted(now, maxAttempts, ABANDON_AT_ONCE)
                    .concatMap(batch -> {
                        List<BatchError> errors = new ArrayList<>(batch.errors());
                        errors.add(new BatchError("attempts_exhausted", "The batch was stopped after " + maxAttempts
                                + " attempts: each time, the gateway instance running it stopped before it ended.", null, null));
                        return batches.update(batch.withErrors(errors).moveTo(BatchStatus.FAILED, clock.instant()),
                                batch.leaseOwner(), batch.status());
                    })
                    .filter(Boolean::booleanValue)
                    .count();
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
