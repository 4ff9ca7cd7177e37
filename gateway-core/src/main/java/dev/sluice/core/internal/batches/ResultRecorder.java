package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.internal.lease.Faults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the results of one batch run's lines in groups (group commit): a result handed over while no transaction
 * is running is written at once, alone; results handed over while one is running wait for the next, which takes
 * all of them (up to {@link #MAX_GROUP}). There is no timer and no buffer that a downstream could fail to drain:
 * a lone line is never delayed, and under load each transaction carries what finished during the previous one.
 * <p>
 * Why no line is lost or counted twice:
 * <ul>
 *   <li>{@link #record} completes only once the result's group is committed (or fails with the group's error), so
 *   a line counts as finished only once it is stored, as when each line was its own transaction.</li>
 *   <li>A record cancelled before its group started (the run stopping: cancel, lease lost, shutdown) is withdrawn
 *   and never written, as a cancelled single-line transaction was rolled back: the line has no result and is
 *   run again. A group already being written is not interrupted; the store records each line at most once.</li>
 *   <li>{@link #drained()} tells when nothing is queued or being written, so that a run reads its counters and
 *   writes its files only after the last write it started.</li>
 * </ul>
 */
final class ResultRecorder {

    private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);

    /** The largest group; a run has at most its lines-at-once in flight, so this only bounds a misconfiguration. */
    static final int MAX_GROUP = 256;

    private final BatchRepository batches;
    private final String batchId;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Sinks.Empty<Void>> drainWaiters = new ArrayList<>();
    /** Whether a group is being written; set and cleared only under the lock. */
    private boolean writing;

    /** A result waiting for its group; withdrawn when its subscriber cancels first. Guarded by the lock. */
    private static final class Pending {
        final LineResult result;
        final Sinks.Empty<Void> stored = Sinks.empty();
        boolean withdrawn;

        Pending(LineResult result) {
            this.result = result;
        }
    }

    ResultRecorder(BatchRepository batches, String batchId) {
        this.batches = batches;
        this.batchId = batchId;
    }

    /** Completes once {@code result} is committed; fails when its group could not be; cancelling it withdraws it if still queued. */
    Mono<Void> record(LineResult result) {
        return Mono.defer(() -> {
            Pending pending = new Pending(result);
            boolean start;
            synchronized (lock) {
                queue.add(pending);
                start = !writing;
                writing = true;
            }
            if (start) {
                writeNext();
            }
            return pending.stored.asMono().doOnCancel(() -> {
                synchronized (lock) {
                    pending.withdrawn = true;
                }
            });
        });
    }

    /** Completes once nothing is queued or being written. */
    Mono<Void> drained() {
        return Mono.defer(() -> {
            synchronized (lock) {
                if (!writing) {
                    return Mono.empty();
                }
                Sinks.Empty<Void> waiter = Sinks.empty();
                drainWaiters.add(waiter);
                return waiter.asMono();
            }
        });
    }

    /**
     * The store refused a group for good (a value it cannot hold): each line alone, so that one bad result does not
     * take the others with it, and a line the store still refuses ends with {@code result_not_stored} instead.
     */
    private Mono<Integer> oneByOne(List<LineResult> results) {
        return Flux.fromIterable(results)
                .concatMap(result -> batches.recordResult(batchId, result)
                        .onErrorResume(error -> !Faults.isTransient(error), refused -> {
                            log.warn("The store refused the result of line {} of batch {}; recorded as result_not_stored",
                                    result.line(), batchId, refused);
                            return batches.recordResult(batchId, LineResults.notStored(result));
                        }))
                .filter(Boolean::booleanValue)
                .count()
                .map(Long::intValue);
    }

    /** Writes what waits, then looks again; stops, clearing {@link #writing}, only when nothing waits. */
    private void writeNext() {
        List<Pending> group = new ArrayList<>();
        List<Sinks.Empty<Void>> waiters = List.of();
        synchronized (lock) {
            while (!queue.isEmpty() && group.size() < MAX_GROUP) {
                Pending next = queue.poll();
                if (!next.withdrawn) {
                    group.add(next);
                }
            }
            if (group.isEmpty()) {
                writing = false;
                waiters = new ArrayList<>(drainWaiters);
                drainWaiters.clear();
            }
        }
        if (group.isEmpty()) {
            waiters.forEach(Sinks.Empty::tryEmitEmpty);
            return;
        }
        List<LineResult> results = new ArrayList<>(group.size());
        for (Pending pending : group) {
            results.add(pending.result);
        }
        Mono.defer(() -> batches.recordResults(batchId, results))
                .onErrorResume(error -> !Faults.isTransient(error), refused -> oneByOne(results))
                .subscribe(
                recorded -> {
                },
                error -> {
                    for (Pending pending : group) {
                        pending.stored.tryEmitError(error);
                    }
                    writeNext();
                },
                () -> {
                    for (Pending pending : group) {
                        pending.stored.tryEmitEmpty();
                    }
                    writeNext();
                });
    }
}
