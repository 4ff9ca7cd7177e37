package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchCounts;
import dev.sluice.core.batches.BatchError;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.BatchUsage;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.TokenCounts;
import dev.sluice.core.testing.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every database must do for batches; subclasses say which database. A claim sees every batch of its database,
 * so each test starts with no batches.
 */
abstract class BatchRepositoryContract {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofHours(24);

    private String url;
    private Store store;
    private BatchRepository batches;

    /** The database for the next test; may be shared by the tests of one class. */
    abstract String url();

    Store store() {
        return store;
    }

    BatchRepository batches() {
        return batches;
    }

    /** The database of the running test. */
    String storeUrl() {
        return url;
    }

    @BeforeEach
    void openStore() {
        url = url();
        store = StoreFixture.open(url);
        batches = store.batches();
        Sql.execute(url, "DELETE FROM batch_results");
        Sql.execute(url, "DELETE FROM batches");
    }

    @AfterEach
    void closeStore() {
        StoreFixture.close(store);
    }

    static String newId() {
        return "batch_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A batch just created by {@code owner} at {@code createdAt}. */
    static Batch created(String owner, Instant createdAt) {
        return Batch.created(newId(), owner, "/v1/chat/completions", "file-" + UUID.randomUUID(), "24h",
                Map.of("team", "search"), null, createdAt, WINDOW);
    }

    static Batch created(Instant createdAt) {
        return created("key-1", createdAt);
    }

    /** A batch created at {@code createdAt} and since moved to {@code status}, a second later. */
    static Batch inStatus(BatchStatus status, Instant createdAt) {
        Batch batch = created(createdAt);
        return status == BatchStatus.VALIDATING ? batch : batch.moveTo(status, createdAt.plusSeconds(1));
    }

    /** Bytes of an output line, with some that are not valid UTF-8. */
    static byte[] outputLine(int line, int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] prefix = ("{\"line\":" + line + "}").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, bytes, 0, Math.min(prefix.length, size));
        return bytes;
    }

    static LineResult result(int line, boolean error) {
        return new LineResult(line, "request-" + line, error, outputLine(line, 64), error ? null : "openai/gpt-4o-mini",
                error ? TokenCounts.NONE : new TokenCounts(10L * line, line));
    }

    void insert(Batch... toInsert) {
        Flux.fromArray(toInsert).concatMap(batches::insert).then().block(TIMEOUT);
    }

    Batch find(String id) {
        return batches.findById(id).block(TIMEOUT);
    }

    List<Batch> claim(String owner, Instant now, int limit) {
        return batches.claim(owner, now, LEASE, limit).collectList().block(TIMEOUT);
    }

    boolean record(String batchId, LineResult result) {
        return batches.recordResult(batchId, result).block(TIMEOUT);
    }

    List<String> list(String owner, String afterId, int limit) {
        return batches.list(owner, afterId, limit).map(Batch::id).collectList().block(TIMEOUT);
    }

    /** Claims until a claim comes back empty; emits every batch claimed. */
    static Flux<Batch> drain(BatchRepository repository, String owner, Instant now, int limit) {
        return repository.claim(owner, now, LEASE, limit).collectList()
                .expand(claimed -> claimed.isEmpty() ? Mono.empty() : repository.claim(owner, now, LEASE, limit).collectList())
                .flatMapIterable(claimed -> claimed);
    }

    /** Asserts that {@code claimed} are the {@code expected} batches, each exactly once. */
    static void claimedExactlyOnce(List<Batch> claimed, List<Batch> expected) {
        assertThat(claimed).extracting(Batch::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(Batch::id).toList());
    }

    /** Asserts a result read back is {@code expected}, bytes compared by content. */
    static void sameResult(LineResult actual, LineResult expected) {
        assertThat(actual.line()).isEqualTo(expected.line());
        assertThat(actual.customId()).isEqualTo(expected.customId());
        assertThat(actual.error()).isEqualTo(expected.error());
        assertThat(actual.model()).isEqualTo(expected.model());
        assertThat(actual.tokens()).isEqualTo(expected.tokens() == null ? TokenCounts.NONE : expected.tokens());
        assertThat(Arrays.equals(actual.outputLine(), expected.outputLine())).as("bytes of line %d", expected.line()).isTrue();
    }

    // ---- round trip ----

    @Test
    void roundTripsEveryField() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("name", "Übersetzung 日本語 — \"quoted\", back\\slash, tab\t, newline\n, emoji 🚀");
        metadata.put("empty", "");
        metadata.put("ключ", "значение");
        List<BatchError> errors = List.of(
                new BatchError("invalid_url", "Line 3: url /v1/embeddings does not match batch endpoint /v1/chat/completions", "url", 3),
                new BatchError("empty_file", "The input file has no lines — “nothing” to run", null, null));
        Batch batch = new Batch(newId(), "key-42", "/v1/embeddings", "file-in", "24h", BatchStatus.CANCELLED, "file-out",
                "file-err", T0, T0.plusSeconds(1), T0.plus(WINDOW), T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5),
                T0.plusSeconds(6), T0.plusSeconds(7), T0.plusSeconds(8), new BatchCounts(100, 60, 40), metadata, errors,
                "openai/text-embedding-3-small", new BatchUsage(12_345_678_901L, 2, 3, 4), Duration.ofDays(30),
                "instance-a", T0.plusSeconds(45));

        StepVerifier.create(batches.insert(batch)).expectNext(batch).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.findById(batch.id()))
                .assertNext(found -> {
                    assertThat(found).isEqualTo(batch);
                    assertThat(found.metadata()).containsExactlyEntriesOf(metadata);
                    assertThat(found.errors()).containsExactlyElementsOf(errors);
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void roundTripsACreatedBatchWithNoOwnerMetadataOrOptionalTimestamps() {
        Batch bare = Batch.created(newId(), null, "/v1/chat/completions", "file-in", "24h", null, null, T0, WINDOW);
        Batch emptyMetadata = Batch.created(newId(), null, "/v1/chat/completions", "file-in", "24h", Map.of(),
                Duration.ofHours(1), T0, WINDOW);
        insert(bare, emptyMetadata);

        StepVerifier.create(batches.findById(bare.id()))
                .assertNext(found -> {
                    assertThat(found).isEqualTo(bare);
                    assertThat(found.ownerKeyId()).isNull();
                    assertThat(found.metadata()).as("no metadata stays none").isNull();
                    assertThat(found.errors()).isEmpty();
                    assertThat(found.outputExpiresAfter()).isNull();
                    assertThat(found.inProgressAt()).isNull();
                    assertThat(found.cancelledAt()).isNull();
                    assertThat(found.model()).isNull();
                    assertThat(found.counts()).isEqualTo(BatchCounts.NONE);
                    assertThat(found.usage()).isEqualTo(BatchUsage.NONE);
                    assertThat(found.leaseOwner()).isNull();
                    assertThat(found.leaseExpiresAt()).isNull();
                })
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.findById(emptyMetadata.id()))
                .assertNext(found -> {
                    assertThat(found).isEqualTo(emptyMetadata);
                    assertThat(found.metadata()).as("empty metadata stays empty").isNotNull().isEmpty();
                    assertThat(found.outputExpiresAfter()).isEqualTo(Duration.ofHours(1));
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void insertEmitsTheBatchAsItReadsBackToTheMillisecond() {
        Batch batch = created(T0.plusNanos(1_234_567));

        Batch inserted = batches.insert(batch).block(TIMEOUT);

        assertThat(inserted.createdAt()).isEqualTo(T0.plusMillis(1));
        assertThat(find(batch.id())).isEqualTo(inserted);
    }

    @Test
    void insertingAnExistingIdFailsAndFindingAnUnknownIdFindsNothing() {
        Batch batch = created(T0);
        insert(batch);

        StepVerifier.create(batches.insert(Batch.created(batch.id(), "key-2", "/v1/embeddings", "file-2", "24h", null, null,
                T0.plusSeconds(1), WINDOW))).expectError().verify(TIMEOUT);
        assertThat(find(batch.id())).isEqualTo(batch);
        StepVerifier.create(batches.findById(newId())).expectComplete().verify(TIMEOUT);
    }

    // ---- claim and lease ----

    @Test
    void claimTakesOnlyBatchesNotFinalOldestFirstAndLeasesThem() {
        List<Batch> inserted = new ArrayList<>();
        BatchStatus[] statuses = BatchStatus.values();
        for (int i = 0; i < statuses.length; i++) {
            // Newest status first, so that insertion order is not creation order.
            inserted.add(inStatus(statuses[i], T0.plusSeconds(statuses.length - i)));
        }
        insert(inserted.toArray(Batch[]::new));
        Instant now = T0.plusSeconds(60);

        List<Batch> claimed = claim("instance-a", now, 10);

        List<Batch> notFinal = inserted.stream().filter(batch -> !batch.status().isFinal())
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
        assertThat(claimed).extracting(Batch::id).containsExactlyElementsOf(notFinal.stream().map(Batch::id).toList());
        assertThat(claimed).extracting(Batch::status)
                .containsExactly(BatchStatus.CANCELLING, BatchStatus.FINALIZING, BatchStatus.IN_PROGRESS, BatchStatus.VALIDATING);
        assertThat(claimed).allSatisfy(batch -> {
            assertThat(batch.leaseOwner()).isEqualTo("instance-a");
            assertThat(batch.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
        });
        assertThat(find(notFinal.get(0).id())).isEqualTo(claimed.get(0));
        assertThat(claim("instance-b", now, 10)).as("all leased").isEmpty();
        assertThat(claim("instance-b", now.plus(Duration.ofDays(365)), 10)).as("final batches are never claimed")
                .hasSize(notFinal.size());
    }

    @Test
    void claimTakesNoMoreThanTheLimitOldestFirst() {
        Batch third = created(T0.plusSeconds(3));
        Batch first = created(T0.plusSeconds(1));
        Batch fifth = created(T0.plusSeconds(5));
        Batch second = created(T0.plusSeconds(2));
        Batch fourth = created(T0.plusSeconds(4));
        insert(third, first, fifth, second, fourth);

        assertThat(claim("instance-a", T0.plusSeconds(10), 3)).extracting(Batch::id)
                .containsExactly(first.id(), second.id(), third.id());
        assertThat(claim("instance-b", T0.plusSeconds(10), 3)).extracting(Batch::id)
                .containsExactly(fourth.id(), fifth.id());
    }

    @Test
    void claimRespectsALeaseUntilItExpiresThenTakesTheBatchOver() {
        Batch batch = created(T0);
        insert(batch);
        assertThat(claim("instance-a", T0, 1)).hasSize(1);

        assertThat(claim("instance-b", T0.plusSeconds(10), 5)).isEmpty();
        assertThat(claim("instance-b", T0.plus(LEASE), 5)).as("a lease is held up to its expiry").isEmpty();
        Instant later = T0.plus(LEASE).plusMillis(1);

        assertThat(claim("instance-b", later, 5)).singleElement().satisfies(again -> {
            assertThat(again.id()).isEqualTo(batch.id());
            assertThat(again.status()).isEqualTo(BatchStatus.VALIDATING);
            assertThat(again.leaseOwner()).isEqualTo("instance-b");
            assertThat(again.leaseExpiresAt()).isEqualTo(later.plus(LEASE));
        });
    }

    @Test
    void claimRefusesANonPositiveLimitOrLease() {
        StepVerifier.create(batches.claim("instance-a", T0, LEASE, 0)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
        StepVerifier.create(batches.claim("instance-a", T0, Duration.ZERO, 1)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
    }

    @Test
    void concurrentClaimersOnOneStoreClaimEveryBatchExactlyOnce() {
        List<Batch> created = IntStream.range(0, 60).mapToObj(i -> created(T0.plusMillis(i))).toList();
        Flux.fromIterable(created).flatMap(batches::insert, 8).then().block(TIMEOUT);
        Instant now = T0.plusSeconds(1);

        List<Batch> claimed = Flux.range(0, 4)
                .flatMap(claimer -> drain(batches, "claimer-" + claimer, now, 3))
                .collectList()
                .block(TIMEOUT);

        claimedExactlyOnce(claimed, created);
    }

    @Test
    void renewLeaseOnlyByTheHolderWhileTheBatchIsNotFinal() {
        Batch batch = created(T0);
        insert(batch);
        claim("instance-a", T0, 1);
        Instant until = T0.plusSeconds(90);

        StepVerifier.create(batches.renewLease(batch.id(), "instance-b", until)).expectNext(false).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id()).leaseExpiresAt()).isEqualTo(T0.plus(LEASE));

        StepVerifier.create(batches.renewLease(batch.id(), "instance-a", until)).expectNext(true).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id()).leaseExpiresAt()).isEqualTo(until);
        assertThat(claim("instance-b", T0.plus(LEASE).plusSeconds(1), 1)).as("renewed lease still held").isEmpty();

        assertThat(batches.update(batch.moveTo(BatchStatus.FAILED, T0.plusSeconds(2)), "instance-a", BatchStatus.VALIDATING)
                .block(TIMEOUT)).isTrue();
        StepVerifier.create(batches.renewLease(batch.id(), "instance-a", until)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.renewLease(newId(), "instance-a", until)).expectNext(false).expectComplete().verify(TIMEOUT);
    }

    @Test
    void releaseLeasesHandsTheOwnersBatchesBackAtOnce() {
        Batch a1 = created(T0);
        Batch a2 = inStatus(BatchStatus.IN_PROGRESS, T0.plusSeconds(1));
        Batch b1 = created(T0.plusSeconds(2));
        insert(a1, a2, b1);
        claim("instance-a", T0, 2);
        claim("instance-b", T0, 1);

        StepVerifier.create(batches.releaseLeases("instance-a")).expectNext(2L).expectComplete().verify(TIMEOUT);

        assertThat(find(a1.id())).isEqualTo(a1);
        assertThat(find(a2.id())).as("status kept, lease gone").isEqualTo(a2);
        assertThat(find(b1.id()).leaseOwner()).isEqualTo("instance-b");
        assertThat(claim("instance-c", T0.plusSeconds(1), 5)).as("taken up at once, before any lease expiry")
                .extracting(Batch::id).containsExactly(a1.id(), a2.id());
        StepVerifier.create(batches.releaseLeases("instance-a")).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    // ---- update ----

    @Test
    void updateWritesStatusTimestampsFilesErrorsAndTotalButNotCountersUsageOrModel() {
        Batch batch = created(T0);
        insert(batch);
        claim("instance-a", T0, 1);
        record(batch.id(), result(1, false));
        Batch running = batch.moveTo(BatchStatus.IN_PROGRESS, T0.plusSeconds(2)).withTotal(3);

        StepVerifier.create(batches.update(running, "instance-a", BatchStatus.VALIDATING)).expectNext(true).expectComplete().verify(TIMEOUT);

        Batch stored = find(batch.id());
        assertThat(stored.status()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(stored.inProgressAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(stored.counts()).isEqualTo(new BatchCounts(3, 1, 0));
        assertThat(stored.leaseOwner()).as("still running: lease kept").isEqualTo("instance-a");

        List<BatchError> errors = List.of(new BatchError("line_failed", "Line 2: the provider timed out", null, 2));
        Batch done = new Batch(running.id(), running.ownerKeyId(), running.endpoint(), running.inputFileId(),
                running.completionWindow(), BatchStatus.FINALIZING, null, null, running.createdAt(), running.inProgressAt(),
                running.expiresAt(), running.finalizingAt(), running.completedAt(), running.failedAt(), running.expiredAt(),
                running.cancellingAt(), running.cancelledAt(), new BatchCounts(3, 99, 99), running.metadata(), running.errors(),
                "not/written", new BatchUsage(99, 99, 99, 99), running.outputExpiresAfter(), running.leaseOwner(),
                running.leaseExpiresAt())
                .moveTo(BatchStatus.FINALIZING, T0.plusSeconds(3))
                .moveTo(BatchStatus.COMPLETED, T0.plusSeconds(4))
                .withFiles("file-out", "file-err")
                .withErrors(errors);

        StepVerifier.create(batches.update(done, "instance-a", BatchStatus.IN_PROGRESS)).expectNext(true).expectComplete().verify(TIMEOUT);

        Batch completed = find(batch.id());
        assertThat(completed.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.inProgressAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(completed.finalizingAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(completed.completedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(completed.expiresAt()).isEqualTo(T0.plus(WINDOW));
        assertThat(completed.outputFileId()).isEqualTo("file-out");
        assertThat(completed.errorFileId()).isEqualTo("file-err");
        assertThat(completed.errors()).containsExactlyElementsOf(errors);
        assertThat(completed.counts()).as("counters are recordResult's").isEqualTo(new BatchCounts(3, 1, 0));
        assertThat(completed.usage()).isEqualTo(new BatchUsage(10, 1, 0, 0));
        assertThat(completed.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(completed.metadata()).isEqualTo(batch.metadata());
        assertThat(completed.leaseOwner()).as("final: lease handed back").isNull();
        assertThat(completed.leaseExpiresAt()).isNull();
    }

    @Test
    void updateByAnInstanceNotHoldingTheLeaseOrExpectingAnotherStatusChangesNothing() {
        Batch batch = created(T0);
        insert(batch);
        Batch running = batch.moveTo(BatchStatus.IN_PROGRESS, T0.plusSeconds(1)).withTotal(5);

        StepVerifier.create(batches.update(running, "instance-a", BatchStatus.VALIDATING))
                .as("unleased: nobody holds it").expectNext(false).expectComplete().verify(TIMEOUT);
        Batch leased = claim("instance-a", T0, 1).get(0);
        StepVerifier.create(batches.update(running, "instance-b", BatchStatus.VALIDATING))
                .as("another owner").expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.update(running, "instance-a", BatchStatus.IN_PROGRESS))
                .as("another expected status").expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.update(running.moveTo(BatchStatus.FAILED, T0.plusSeconds(2)), "instance-a", BatchStatus.FINALIZING))
                .expectNext(false).expectComplete().verify(TIMEOUT);

        assertThat(find(batch.id())).isEqualTo(leased);
    }

    @Test
    void updateByTheFormerHolderOfABatchTakenOverChangesNothing() {
        Batch batch = created(T0);
        insert(batch);
        claim("instance-a", T0, 1);
        Instant afterLease = T0.plus(LEASE).plusSeconds(1);
        Batch takenOver = claim("instance-b", afterLease, 1).get(0);

        StepVerifier.create(batches.update(batch.moveTo(BatchStatus.IN_PROGRESS, afterLease), "instance-a", BatchStatus.VALIDATING))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id())).isEqualTo(takenOver);
    }

    @Test
    void updateOfABatchCancelledMeanwhileChangesNothingUntilTheRunnerExpectsCancelling() {
        Batch batch = created(T0);
        insert(batch);
        claim("instance-a", T0, 1);
        Batch running = batch.moveTo(BatchStatus.IN_PROGRESS, T0.plusSeconds(1));
        batches.update(running, "instance-a", BatchStatus.VALIDATING).block(TIMEOUT);
        Instant cancelAt = T0.plusSeconds(5);
        assertThat(batches.requestCancel(batch.id(), cancelAt).block(TIMEOUT)).isTrue();
        Batch cancelling = find(batch.id());

        StepVerifier.create(batches.update(running.moveTo(BatchStatus.FINALIZING, T0.plusSeconds(6)), "instance-a", BatchStatus.IN_PROGRESS))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.update(running.moveTo(BatchStatus.COMPLETED, T0.plusSeconds(6)), "instance-a", BatchStatus.IN_PROGRESS))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id())).isEqualTo(cancelling);

        // The runner's copy predates the cancel: its missing cancelling_at does not erase the stored one.
        StepVerifier.create(batches.update(running.moveTo(BatchStatus.CANCELLED, T0.plusSeconds(7)), "instance-a", BatchStatus.CANCELLING))
                .expectNext(true).expectComplete().verify(TIMEOUT);
        Batch cancelled = find(batch.id());
        assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.cancellingAt()).isEqualTo(cancelAt);
        assertThat(cancelled.cancelledAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(cancelled.inProgressAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(cancelled.leaseOwner()).isNull();
    }

    // ---- cancel ----

    @Test
    void requestCancelMovesAValidatingOrRunningBatchToCancellingLeasedOrNot() {
        Instant now = T0.plusSeconds(30);
        for (BatchStatus status : BatchStatus.values()) {
            for (boolean leased : List.of(false, true)) {
                Batch batch = inStatus(status, T0);
                insert(batch);
                if (leased) {
                    Sql.execute(url, "UPDATE batches SET lease_owner = 'instance-a', lease_expires_at = "
                            + T0.plus(Duration.ofDays(1)).toEpochMilli() + " WHERE id = '" + batch.id() + "'");
                }
                Batch before = find(batch.id());
                // Finalizing is past cancelling: its files are being written, and only one set of them may be.
                boolean cancellable = status == BatchStatus.VALIDATING || status == BatchStatus.IN_PROGRESS;

                StepVerifier.create(batches.requestCancel(batch.id(), now)).as(status + ", leased: " + leased)
                        .expectNext(cancellable).expectComplete().verify(TIMEOUT);

                Batch after = find(batch.id());
                if (cancellable) {
                    assertThat(after.status()).isEqualTo(BatchStatus.CANCELLING);
                    assertThat(after.cancellingAt()).isEqualTo(now);
                    assertThat(after.leaseOwner()).as("the runner holding it sees the cancel").isEqualTo(before.leaseOwner());
                    assertThat(after.inProgressAt()).isEqualTo(before.inProgressAt());
                } else {
                    assertThat(after).as("%s is left alone", status).isEqualTo(before);
                }
            }
        }
        StepVerifier.create(batches.requestCancel(newId(), now)).expectNext(false).expectComplete().verify(TIMEOUT);
    }

    // ---- results ----

    @Test
    void recordResultsRecordsAGroupOnceSkippingLinesAlreadyRecorded() {
        Batch batch = created(T0);
        insert(batch);
        StepVerifier.create(batches.recordResult(batch.id(), result(2, false))).expectNext(true).expectComplete().verify(TIMEOUT);

        StepVerifier.create(batches.recordResults(batch.id(), List.of(result(1, false), result(2, false), result(3, true),
                        result(4, false), result(3, true))))
                .expectNext(3).expectComplete().verify(TIMEOUT);

        Batch recorded = find(batch.id());
        assertThat(recorded.counts()).isEqualTo(new BatchCounts(0, 3, 1));
        assertThat(recorded.usage()).isEqualTo(new BatchUsage(10 + 20 + 40, 1 + 2 + 4, 0, 0));
        assertThat(batches.finishedLines(batch.id()).collectList().block(TIMEOUT)).containsExactly(1, 2, 3, 4);
        StepVerifier.create(batches.recordResults(batch.id(), List.of(result(1, false), result(4, false))))
                .expectNext(0).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id()).counts()).isEqualTo(new BatchCounts(0, 3, 1));
    }

    @Test
    void recordResultRecordsALineOnceAndAddsItToTheCountersUsageAndModel() {
        Batch batch = created(T0);
        insert(batch);
        LineResult first = new LineResult(1, "request-1", false, outputLine(1, 80), "openai/gpt-4o-mini", new TokenCounts(100, 20));

        StepVerifier.create(batches.recordResult(batch.id(), first)).expectNext(true).expectComplete().verify(TIMEOUT);
        Batch once = find(batch.id());
        assertThat(once.counts()).isEqualTo(new BatchCounts(0, 1, 0));
        assertThat(once.usage()).isEqualTo(new BatchUsage(100, 20, 0, 0));
        assertThat(once.model()).isEqualTo("openai/gpt-4o-mini");

        LineResult again = new LineResult(1, "request-1", true, outputLine(1, 10), "other/model", new TokenCounts(7, 7));
        StepVerifier.create(batches.recordResult(batch.id(), again)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.recordResult(batch.id(), first)).expectNext(false).expectComplete().verify(TIMEOUT);
        assertThat(find(batch.id())).isEqualTo(once);
        assertThat(batches.results(batch.id(), false).collectList().block(TIMEOUT))
                .singleElement().satisfies(stored -> sameResult(stored, first));
        assertThat(batches.results(batch.id(), true).collectList().block(TIMEOUT)).isEmpty();

        LineResult failed = new LineResult(2, "request-2", true, outputLine(2, 50), "anthropic/claude-sonnet-4", new TokenCounts(3, 0));
        StepVerifier.create(batches.recordResult(batch.id(), failed)).expectNext(true).expectComplete().verify(TIMEOUT);
        Batch twice = find(batch.id());
        assertThat(twice.counts()).isEqualTo(new BatchCounts(0, 1, 1));
        assertThat(twice.usage()).isEqualTo(new BatchUsage(103, 20, 0, 0));
        assertThat(twice.model()).as("the first model is kept").isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void recordResultSetsTheModelOnlyWhenTheBatchHasNoneAndKeepsCachedAndReasoningTokens() {
        Batch withModel = new Batch(newId(), null, "/v1/chat/completions", "file-in", "24h", BatchStatus.IN_PROGRESS, null, null,
                T0, T0, T0.plus(WINDOW), null, null, null, null, null, null, new BatchCounts(4, 0, 0), null, null,
                "openai/gpt-4o", new BatchUsage(1, 2, 3, 4), null, null, null);
        Batch withoutModel = created(T0);
        insert(withModel, withoutModel);

        record(withModel.id(), new LineResult(1, "a", false, outputLine(1, 20), "openai/gpt-4o-2024-08-06", new TokenCounts(10, 20)));
        record(withoutModel.id(), new LineResult(1, "a", true, outputLine(1, 20), null, null));
        record(withoutModel.id(), new LineResult(2, "b", true, outputLine(2, 20), "openai/gpt-4.1", TokenCounts.NONE));

        Batch first = find(withModel.id());
        assertThat(first.model()).isEqualTo("openai/gpt-4o");
        assertThat(first.usage()).isEqualTo(new BatchUsage(11, 22, 3, 4));
        assertThat(first.counts()).isEqualTo(new BatchCounts(4, 1, 0));
        Batch second = find(withoutModel.id());
        assertThat(second.model()).as("a line without a model sets none").isEqualTo("openai/gpt-4.1");
        assertThat(second.counts()).isEqualTo(new BatchCounts(0, 0, 2));
        assertThat(second.usage()).isEqualTo(BatchUsage.NONE);
        assertThat(batches.results(withoutModel.id(), true).map(LineResult::tokens).collectList().block(TIMEOUT))
                .as("no tokens reported reads back as none").containsExactly(TokenCounts.NONE, TokenCounts.NONE);
    }

    @Test
    void recordResultForAnUnknownBatchFails() {
        StepVerifier.create(batches.recordResult(newId(), result(1, false))).expectError().verify(TIMEOUT);
    }

    @Test
    void concurrentResultsForOneBatchAreAllCounted() {
        Batch batch = created(T0);
        insert(batch);
        int lines = 200;

        List<Boolean> recorded = Flux.range(1, lines)
                .flatMap(line -> batches.recordResult(batch.id(), result(line, line % 5 == 0)), 32)
                .collectList()
                .block(TIMEOUT);

        assertThat(recorded).hasSize(lines).containsOnly(true);
        long errors = lines / 5;
        long input = IntStream.rangeClosed(1, lines).filter(line -> line % 5 != 0).mapToLong(line -> 10L * line).sum();
        long output = IntStream.rangeClosed(1, lines).filter(line -> line % 5 != 0).sum();
        Batch counted = find(batch.id());
        assertThat(counted.counts()).isEqualTo(new BatchCounts(0, (int) (lines - errors), (int) errors));
        assertThat(counted.usage()).isEqualTo(new BatchUsage(input, output, 0, 0));
        StepVerifier.create(batches.finishedLines(batch.id()).count()).expectNext((long) lines).expectComplete().verify(TIMEOUT);
        // Reading only the start of the results, again and again, gives every connection back.
        for (int i = 0; i < 20; i++) {
            StepVerifier.create(batches.results(batch.id(), false).take(3).map(LineResult::line))
                    .expectNext(1, 2, 3).expectComplete().verify(TIMEOUT);
        }
        assertThat(find(batch.id())).isEqualTo(counted);
    }

    @Test
    void finishedLinesAreTheRecordedLinesOfThatBatchInOrder() {
        Batch batch = created(T0);
        Batch other = created(T0);
        insert(batch, other);
        for (int line : new int[] {7, 2, 5, 1}) {
            record(batch.id(), result(line, line == 5));
        }
        record(other.id(), result(3, false));

        StepVerifier.create(batches.finishedLines(batch.id())).expectNext(1, 2, 5, 7).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.finishedLines(newId())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void resultsAreOfOneKindInLineOrderWithTheirBytesIntact() {
        Batch batch = created(T0);
        Batch other = created(T0);
        insert(batch, other);
        List<LineResult> recorded = new ArrayList<>();
        for (int line = 1; line <= 30; line++) {
            boolean error = line % 3 == 0;
            recorded.add(new LineResult(line, line == 4 ? null : "request-" + line, error,
                    outputLine(line, line == 10 ? 200_000 : 1 + line * 7), error ? null : "openai/gpt-4o-mini",
                    error ? TokenCounts.NONE : new TokenCounts(line, 2L * line)));
        }
        List<LineResult> shuffled = new ArrayList<>(recorded);
        Collections.shuffle(shuffled);
        Flux.fromIterable(shuffled).concatMap(result -> batches.recordResult(batch.id(), result)).then().block(TIMEOUT);
        record(other.id(), result(1, false));
        record(other.id(), result(3, true));

        List<LineResult> outputs = batches.results(batch.id(), false).collectList().block(TIMEOUT);
        List<LineResult> errors = batches.results(batch.id(), true).collectList().block(TIMEOUT);

        List<LineResult> expectedOutputs = recorded.stream().filter(result -> !result.error()).toList();
        List<LineResult> expectedErrors = recorded.stream().filter(LineResult::error).toList();
        assertThat(outputs).hasSameSizeAs(expectedOutputs);
        assertThat(errors).hasSameSizeAs(expectedErrors);
        for (int i = 0; i < outputs.size(); i++) {
            sameResult(outputs.get(i), expectedOutputs.get(i));
        }
        for (int i = 0; i < errors.size(); i++) {
            sameResult(errors.get(i), expectedErrors.get(i));
        }
        StepVerifier.create(batches.results(newId(), false)).expectComplete().verify(TIMEOUT);
    }

    // ---- list ----

    @Test
    void listIsNewestFirstPagedByCursorAndOnlyTheOwners() {
        Batch a1 = created("key-a", T0);
        Batch a2 = created("key-a", T0.plusSeconds(1));
        Batch a3 = created("key-a", T0.plusSeconds(2));
        Batch a4 = created("key-a", T0.plusSeconds(2));
        Batch a5 = created("key-a", T0.plusSeconds(3));
        Batch b1 = created("key-b", T0.plusSeconds(1));
        Batch none1 = created(null, T0);
        Batch none2 = created(null, T0.plusSeconds(5));
        insert(a3, b1, a1, none1, a5, a4, none2, a2);
        // Two batches created in the same millisecond are listed by id, newest id first.
        List<String> sameTime = a3.id().compareTo(a4.id()) > 0 ? List.of(a3.id(), a4.id()) : List.of(a4.id(), a3.id());
        List<String> expected = List.of(a5.id(), sameTime.get(0), sameTime.get(1), a2.id(), a1.id());

        assertThat(list("key-a", null, 20)).containsExactlyElementsOf(expected);
        List<String> firstPage = list("key-a", null, 2);
        List<String> secondPage = list("key-a", firstPage.get(1), 2);
        List<String> lastPage = list("key-a", secondPage.get(1), 2);
        assertThat(firstPage).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(secondPage).containsExactlyElementsOf(expected.subList(2, 4));
        assertThat(lastPage).containsExactlyElementsOf(expected.subList(4, 5));
        assertThat(list("key-a", lastPage.get(0), 2)).isEmpty();

        assertThat(list("key-b", null, 20)).containsExactly(b1.id());
        assertThat(list(null, null, 20)).as("created without a key").containsExactly(none2.id(), none1.id());
        assertThat(list(null, none2.id(), 20)).containsExactly(none1.id());
        assertThat(list("key-b", a5.id(), 20)).as("another owner's cursor shows nothing of theirs").containsExactly(b1.id());
        assertThat(list("key-c", null, 20)).isEmpty();
        assertThat(list("key-a", newId(), 20)).as("unknown cursor").isEmpty();
        StepVerifier.create(batches.list("key-a", null, 0)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
    }
}
