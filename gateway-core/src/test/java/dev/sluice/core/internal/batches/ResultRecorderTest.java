package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.usage.TokenCounts;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ResultRecorderTest {

    private static LineResult result(int line) {
        return new LineResult(line, "id-" + line, false, ("{\"custom_id\":\"id-" + line + "\"}").getBytes(StandardCharsets.UTF_8),
                "m", TokenCounts.NONE);
    }

    /** A store whose transactions the test completes by hand, one at a time. */
    private static final class ManualStore extends OnlyRecordResults {
        final List<List<LineResult>> groups = Collections.synchronizedList(new ArrayList<>());
        final List<Sinks.One<Integer>> commits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
            Sinks.One<Integer> commit = Sinks.one();
            groups.add(List.copyOf(results));
            commits.add(commit);
            return commit.asMono();
        }

        void commit(int index) {
            commits.get(index).tryEmitValue(groups.get(index).size());
        }
    }

    @Test
    void recordsALoneResultAtOnceInItsOwnTransaction() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");

        StepVerifier.create(recorder.record(result(1)))
                .expectSubscription()
                .then(() -> assertThat(store.groups).hasSize(1))
                .then(() -> store.commit(0))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(store.groups).hasSize(1);
        assertThat(store.groups.get(0)).extracting(LineResult::line).containsExactly(1);
    }

    @Test
    void resultsFinishedDuringATransactionGoTogetherInTheNext() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        List<String> done = Collections.synchronizedList(new ArrayList<>());

        recorder.record(result(1)).subscribe(null, null, () -> done.add("1"));
        recorder.record(result(2)).subscribe(null, null, () -> done.add("2"));
        recorder.record(result(3)).subscribe(null, null, () -> done.add("3"));
        assertThat(store.groups).hasSize(1);
        assertThat(done).isEmpty();

        store.commit(0);
        assertThat(done).containsExactly("1");
        assertThat(store.groups).hasSize(2);
        assertThat(store.groups.get(1)).extracting(LineResult::line).containsExactly(2, 3);

        store.commit(1);
        assertThat(done).containsExactly("1", "2", "3");
        assertThat(store.groups).hasSize(2);
    }

    @Test
    void aRecordCompletesOnlyOnceItsGroupIsCommitted() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");

        StepVerifier.create(recorder.record(result(7)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> store.commit(0))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    /** A store that refuses, for good, any group holding line 2, and line 2 alone, as a too-long value would be. */
    private static final class RefusingStore extends OnlyRecordResults {
        final Map<Integer, LineResult> recorded = new ConcurrentHashMap<>();

        @Override
        public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
            return results.stream().anyMatch(result -> result.line() == 2 && !result.error())
                    ? Mono.error(new R2dbcDataIntegrityViolationException("value too long for type character varying(255)"))
                    : Flux.fromIterable(results).concatMap(result -> recordResult(batchId, result)).count().map(Long::intValue);
        }

        @Override
        public Mono<Boolean> recordResult(String batchId, LineResult result) {
            if (result.line() == 2 && !result.error()) {
                return Mono.error(new R2dbcDataIntegrityViolationException("value too long for type character varying(255)"));
            }
            return Mono.just(recorded.putIfAbsent(result.line(), result) == null);
        }
    }

    @Test
    void aResultTheStoreRefusesForGoodEndsItsLineAsNotStoredAndTheOthersAreKept() {
        RefusingStore store = new RefusingStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");

        StepVerifier.create(Flux.range(1, 3).flatMap(line -> recorder.record(result(line))).then(recorder.drained()))
                .expectComplete()
                .verify(Duration.ofSeconds(5));

        assertThat(store.recorded).containsOnlyKeys(1, 2, 3);
        assertThat(store.recorded.get(1).error()).isFalse();
        assertThat(store.recorded.get(3).error()).isFalse();
        assertThat(store.recorded.get(2).error()).isTrue();
        assertThat(new String(store.recorded.get(2).outputLine(), StandardCharsets.UTF_8)).contains("\"code\":\"result_not_stored\"");
    }

    @Test
    void aFailedGroupFailsEachRecordInItAndTheNextGroupIsStillWritten() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());

        recorder.record(result(1)).subscribe(null, errors::add, () -> done.add(1));
        recorder.record(result(2)).subscribe(null, errors::add, () -> done.add(2));
        store.commits.get(0).tryEmitError(new R2dbcTransientResourceException("database down"));

        assertThat(errors).hasSize(1).first().hasFieldOrPropertyWithValue("message", "database down");
        assertThat(store.groups).hasSize(2);
        store.commit(1);
        assertThat(done).containsExactly(2);
    }

    @Test
    void aRecordCancelledBeforeItsGroupStartsIsWithdrawnAndNeverWritten() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");

        recorder.record(result(1)).subscribe();
        Disposable cancelled = recorder.record(result(2)).subscribe();
        recorder.record(result(3)).subscribe();
        cancelled.dispose(); // the run stopped (cancel, lease lost, shutdown) while line 2 waited for a transaction

        store.commit(0);
        assertThat(store.groups).hasSize(2);
        assertThat(store.groups.get(1)).extracting(LineResult::line).containsExactly(3);
    }

    @Test
    void aGroupAlreadyBeingWrittenIsNotInterruptedByACancel() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");

        Disposable cancelled = recorder.record(result(1)).subscribe();
        cancelled.dispose();

        assertThat(store.groups).hasSize(1);
        assertThat(store.commits.get(0).currentSubscriberCount()).isEqualTo(1);
    }

    @Test
    void drainedWaitsForTheLastWriteStarted() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        StepVerifier.create(recorder.drained()).expectComplete().verify(Duration.ofSeconds(5));

        recorder.record(result(1)).subscribe();
        Disposable withdrawn = recorder.record(result(2)).subscribe();
        withdrawn.dispose();
        List<String> drained = Collections.synchronizedList(new ArrayList<>());
        recorder.drained().subscribe(null, null, () -> drained.add("drained"));
        assertThat(drained).isEmpty();

        store.commit(0);
        assertThat(drained).containsExactly("drained");
        assertThat(store.groups).hasSize(1); // the withdrawn line started no transaction of its own
    }

    @Test
    void groupsAreBounded() {
        ManualStore store = new ManualStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        int waiting = ResultRecorder.MAX_GROUP + 10;

        recorder.record(result(0)).subscribe();
        for (int i = 1; i <= waiting; i++) {
            recorder.record(result(i)).subscribe();
        }
        store.commit(0);
        store.commit(1);
        store.commit(2);

        assertThat(store.groups).extracting(List::size).containsExactly(1, ResultRecorder.MAX_GROUP, 10);
    }

    /** A store that commits after a random short delay on another thread, and counts how often each line is written. */
    private static final class SlowStore extends OnlyRecordResults {
        final Map<Integer, AtomicInteger> writes = new ConcurrentHashMap<>();
        final AtomicInteger transactions = new AtomicInteger();

        @Override
        public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
            return Mono.delay(Duration.ofNanos(ThreadLocalRandom.current().nextInt(50, 2000) * 1000L))
                    .map(tick -> {
                        transactions.incrementAndGet();
                        results.forEach(result -> writes.computeIfAbsent(result.line(), line -> new AtomicInteger()).incrementAndGet());
                        return results.size();
                    });
        }
    }

    @Test
    void underConcurrentLoadEveryResultIsWrittenExactlyOnceAndEveryRecordCompletes() {
        SlowStore store = new SlowStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        int lines = 20_000;

        // As a batch run does: many lines in flight, each finishing on some thread and waiting for its record.
        StepVerifier.create(Flux.range(1, lines)
                        .flatMap(line -> Mono.fromCallable(() -> result(line)).subscribeOn(Schedulers.parallel())
                                .flatMap(recorder::record)
                                .thenReturn(line), 64)
                        .count())
                .expectNext((long) lines)
                .expectComplete()
                .verify(Duration.ofSeconds(60));

        assertThat(store.writes).hasSize(lines);
        assertThat(store.writes.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.transactions.get()).isLessThan(lines); // grouped: fewer transactions than lines
    }

    @Test
    void underLoadWithCancelledRecordsNoResultIsWrittenTwiceAndEveryCompletedRecordIsStored() {
        SlowStore store = new SlowStore();
        ResultRecorder recorder = new ResultRecorder(store, "batch_1");
        int lines = 20_000;
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());

        // About one line in five gives up waiting (as a stopping run cancels its lines); the rest wait for their write.
        StepVerifier.create(Flux.range(1, lines)
                        .flatMap(line -> Mono.fromCallable(() -> result(line)).subscribeOn(Schedulers.parallel())
                                .flatMap(result -> line % 5 == 0 ? recorder.record(result).timeout(Duration.ofNanos(1)).onErrorResume(e -> Mono.empty())
                                        : recorder.record(result).doOnSuccess(done -> completed.add(line))), 64)
                        .then(recorder.drained()))
                .expectComplete()
                .verify(Duration.ofSeconds(60));

        assertThat(completed).hasSize(lines - lines / 5);
        assertThat(completed).allSatisfy(line -> assertThat(store.writes.get(line)).isNotNull().hasValue(1));
        assertThat(store.writes.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }

    /** The recorder needs nothing but {@link BatchRepository#recordResults}. */
    private abstract static class OnlyRecordResults implements BatchRepository {
        @Override
        public Mono<Batch> insert(Batch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Batch> findById(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<Batch> list(String ownerKeyId, String afterId, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<Batch> findExhausted(Instant now, int maxAttempts, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Boolean> readsFile(String fileId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Boolean> renewLease(String id, String owner, Instant until) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Boolean> update(Batch batch, String owner, BatchStatus expected) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Boolean> requestCancel(String id, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Boolean> recordResult(String batchId, LineResult result) {
            throw new UnsupportedOperationException("the recorder groups results: one transaction per line is what it replaces");
        }

        @Override
        public Flux<Integer> finishedLines(String batchId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<LineResult> results(String batchId, boolean errors) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Long> releaseLeases(String owner) {
            throw new UnsupportedOperationException();
        }
    }
}
