package dev.sluice.core.batches;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Stored batches and the results of their lines; batches are run under leases, like async jobs. */
public interface BatchRepository {

    Mono<Batch> insert(Batch batch);

    Mono<Batch> findById(String id);

    /** Batches of exactly this owner ({@code null}: created without a key), newest first, after the cursor. */
    Flux<Batch> list(String ownerKeyId, String afterId, int limit);

    /**
     * Takes up to {@code limit} batches that are not final and not leased (or whose lease expired), oldest
     * first; each is leased to {@code owner} until {@code now + lease}. Safe across instances.
     */
    default Flux<Batch> claim(String owner, Instant now, Duration lease, int limit) {
        return claim(owner, now, lease, limit, Integer.MAX_VALUE);
    }

    /**
     * As {@link #claim(String, Instant, Duration, int)}, taking only batches that were claimed fewer than
     * {@code maxAttempts} times: each claim counts one attempt (a batch handed back by {@link #releaseLeases} gets its
     * attempt back).
     */
    Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts);

    /**
     * Up to {@code limit} batches not final whose lease lapsed at {@code now} after {@code maxAttempts} or more
     * attempts: no instance may claim them again, so they are to be failed (under the lapsed lease's owner, with
     * {@link #update}).
     */
    Flux<Batch> findExhausted(Instant now, int maxAttempts, int limit);

    /** Whether a batch that is not final reads {@code fileId} as its input. */
    Mono<Boolean> readsFile(String fileId);

    /** Extends the lease while this owner holds it; false when it does not (the batch was taken over). */
    Mono<Boolean> renewLease(String id, String owner, Instant until);

    /**
     * Stores the batch's status, timestamps, files, errors and total if {@code owner} holds its lease and
     * its stored status still is {@code expected} (so a cancel requested meanwhile is never overwritten).
     * Counters, usage and model are not written here: {@link #recordResult} adds to them.
     */
    Mono<Boolean> update(Batch batch, String owner, BatchStatus expected);

    /**
     * Moves a batch that is validating or in progress to {@code cancelling}; false otherwise (final, cancelling, or
     * finalizing: past the point where a cancel can stop anything).
     */
    Mono<Boolean> requestCancel(String id, Instant now);

    /**
     * Records a line's result once, and in the same transaction adds it to the batch's counters and usage
     * (and sets the batch's model if it has none); false when that line already had a result.
     */
    Mono<Boolean> recordResult(String batchId, LineResult result);

    /**
     * Records several lines' results in one transaction, as {@link #recordResult} does for one: each line once,
     * counters and usage added for the lines recorded now; emits how many were recorded (lines that already
     * had a result are skipped).
     */
    Mono<Integer> recordResults(String batchId, List<LineResult> results);

    /** The lines that already have a result. */
    Flux<Integer> finishedLines(String batchId);

    /** The recorded results of one kind (output or error), by line. */
    Flux<LineResult> results(String batchId, boolean errors);

    /** Hands this owner's batches back (lease cleared) for another instance or the next start. */
    Mono<Long> releaseLeases(String owner);
}
