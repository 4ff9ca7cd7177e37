package dev.sluice.core.store.r2dbc;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.internal.ids.JobIds;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.store.Store;
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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every database must do for the job queue; subclasses say which database. A claim sees every job of its
 * database, so each test starts with an empty queue.
 */
abstract class AsyncJobRepositoryContract {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration TTL = Duration.ofHours(1);

    private Store store;
    private AsyncJobRepository jobs;

    /** The database for the next test; may be shared by the tests of one class. */
    abstract String url();

    Store store() {
        return store;
    }

    AsyncJobRepository jobs() {
        return jobs;
    }

    @BeforeEach
    void openStore() {
        String url = url();
        store = StoreFixture.open(url);
        jobs = store.jobs();
        Sql.execute(url, "DELETE FROM async_jobs");
    }

    @AfterEach
    void closeStore() {
        StoreFixture.close(store);
    }

    /** A pending job submitted at {@code createdAt} with a small JSON body. */
    static AsyncJob pending(Instant createdAt) {
        return AsyncJob.submitted(JobIds.next(), "chat/completions", "key-1",
                "{\"model\":\"openai/gpt-4o\"}".getBytes(StandardCharsets.UTF_8), null, TTL, createdAt);
    }

    /** Random bytes, including ones that are not valid UTF-8. */
    static byte[] body(int size) {
        byte[] body = new byte[size];
        ThreadLocalRandom.current().nextBytes(body);
        return body;
    }

    void insert(AsyncJob... toInsert) {
        Flux.fromArray(toInsert).concatMap(jobs::insert).then().block(TIMEOUT);
    }

    AsyncJob find(String id) {
        return jobs.findById(id).block(TIMEOUT);
    }

    List<AsyncJob> claim(String owner, Instant now, int limit) {
        return jobs.claim(owner, now, LEASE, limit).collectList().block(TIMEOUT);
    }

    /** Claims until a claim comes back empty; emits every job claimed. */
    static Flux<AsyncJob> drain(AsyncJobRepository repository, String owner, Instant now, int limit) {
        return repository.claim(owner, now, LEASE, limit).collectList()
                .expand(claimed -> claimed.isEmpty() ? Mono.empty() : repository.claim(owner, now, LEASE, limit).collectList())
                .flatMapIterable(claimed -> claimed);
    }

    /** Asserts that {@code claimed} are the {@code expected} jobs, each exactly once and with one attempt. */
    static void claimedExactlyOnce(List<AsyncJob> claimed, List<AsyncJob> expected) {
        assertThat(claimed).hasSameSizeAs(expected);
        assertThat(claimed).extracting(AsyncJob::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(AsyncJob::id).toList());
        assertThat(claimed).allSatisfy(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(job.attempts()).isEqualTo(1);
        });
    }

    @Test
    void roundTripsEveryFieldIncludingLargeBinaryBodies() {
        AsyncJob job = new AsyncJob(JobIds.next(), "audio/speech", "key-42", body(300_000), "openai", JobStatus.COMPLETED,
                T0, T0.plusMillis(1_500), T0.plusSeconds(20), Duration.ofMinutes(90), T0.plusSeconds(20).plus(Duration.ofMinutes(90)),
                200, body(400_000), body(1_000), "instance-a", T0.plusSeconds(45), 3);

        StepVerifier.create(jobs.insert(job)).expectNext(job).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.findById(job.id())).expectNext(job).expectComplete().verify(TIMEOUT);
    }

    @Test
    void roundTripsASubmittedJobWithEveryOptionalFieldEmpty() {
        AsyncJob job = AsyncJob.submitted(JobIds.next(), "embeddings", null, new byte[0], null, Duration.ZERO, T0);

        insert(job);

        StepVerifier.create(jobs.findById(job.id()))
                .assertNext(found -> {
                    assertThat(found).isEqualTo(job);
                    assertThat(found.ownerKeyId()).isNull();
                    assertThat(found.request()).isEmpty();
                    assertThat(found.result()).isNull();
                    assertThat(found.error()).isNull();
                    assertThat(found.statusCode()).isNull();
                    assertThat(found.leaseOwner()).isNull();
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void insertEmitsTheJobAsItReadsBackToTheMillisecond() {
        AsyncJob job = pending(T0.plusNanos(1_234_567));

        AsyncJob inserted = jobs.insert(job).block(TIMEOUT);

        assertThat(inserted.createdAt()).isEqualTo(T0.plusMillis(1));
        assertThat(find(job.id())).isEqualTo(inserted);
    }

    @Test
    void insertingAnExistingIdFails() {
        AsyncJob job = pending(T0);
        insert(job);

        StepVerifier.create(jobs.insert(withId(pending(T0.plusSeconds(1)), job.id())))
                .expectError()
                .verify(TIMEOUT);
    }

    @Test
    void findsNothingForAnUnknownId() {
        StepVerifier.create(jobs.findById(JobIds.next())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void claimTakesTheOldestPendingJobsFirstUpToTheLimit() {
        AsyncJob third = pending(T0.plusSeconds(3));
        AsyncJob first = pending(T0.plusSeconds(1));
        AsyncJob fifth = pending(T0.plusSeconds(5));
        AsyncJob second = pending(T0.plusSeconds(2));
        AsyncJob fourth = pending(T0.plusSeconds(4));
        insert(third, first, fifth, second, fourth);
        Instant now = T0.plusSeconds(10);

        List<AsyncJob> claimed = claim("instance-a", now, 3);

        assertThat(claimed).extracting(AsyncJob::id).containsExactly(first.id(), second.id(), third.id());
        assertThat(claimed).allSatisfy(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(job.leaseOwner()).isEqualTo("instance-a");
            assertThat(job.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
            assertThat(job.startedAt()).isEqualTo(now);
            assertThat(job.attempts()).isEqualTo(1);
        });
        assertThat(find(first.id())).isEqualTo(claimed.get(0));
        assertThat(claim("instance-b", now, 10)).extracting(AsyncJob::id).containsExactly(fourth.id(), fifth.id());
        assertThat(claim("instance-b", now, 10)).isEmpty();
    }

    @Test
    void claimSkipsJobsLeasedByOthersUntilTheirLeaseExpiresThenReclaimsThem() {
        AsyncJob job = pending(T0);
        insert(job);
        assertThat(claim("instance-a", T0, 1)).hasSize(1);

        assertThat(claim("instance-b", T0.plusSeconds(10), 5)).isEmpty();
        assertThat(claim("instance-b", T0.plus(LEASE), 5)).as("a lease is held up to its expiry").isEmpty();
        Instant later = T0.plus(LEASE).plusMillis(1);
        List<AsyncJob> reclaimed = claim("instance-b", later, 5);

        assertThat(reclaimed).singleElement().satisfies(again -> {
            assertThat(again.id()).isEqualTo(job.id());
            assertThat(again.leaseOwner()).isEqualTo("instance-b");
            assertThat(again.leaseExpiresAt()).isEqualTo(later.plus(LEASE));
            assertThat(again.startedAt()).as("first start is kept").isEqualTo(T0);
            assertThat(again.attempts()).isEqualTo(2);
        });
    }

    @Test
    void claimSkipsFinalJobs() {
        AsyncJob done = pending(T0);
        AsyncJob cancelled = pending(T0.plusSeconds(1));
        insert(done, cancelled);
        claim("instance-a", T0, 1);
        jobs.finish(done.id(), "instance-a", JobStatus.COMPLETED, 200, body(10), null, T0.plusSeconds(1)).block(TIMEOUT);
        jobs.cancel(cancelled.id(), T0.plusSeconds(2)).block(TIMEOUT);

        assertThat(claim("instance-b", T0.plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    void claimRefusesANonPositiveLimitOrLease() {
        StepVerifier.create(jobs.claim("instance-a", T0, LEASE, 0)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
        StepVerifier.create(jobs.claim("instance-a", T0, Duration.ZERO, 1)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
    }

    @Test
    void concurrentClaimersOnOneStoreClaimEveryJobExactlyOnce() {
        List<AsyncJob> submitted = Flux.range(0, 200).map(i -> pending(T0.plusMillis(i))).collectList().block(TIMEOUT);
        Flux.fromIterable(submitted).flatMap(jobs::insert, 8).then().block(TIMEOUT);
        Instant now = T0.plusSeconds(1);

        List<AsyncJob> claimed = Flux.range(0, 4)
                .flatMap(claimer -> drain(jobs, "claimer-" + claimer, now, 5))
                .collectList()
                .block(TIMEOUT);

        claimedExactlyOnce(claimed, submitted);
        StepVerifier.create(jobs.countByStatus(JobStatus.PENDING)).expectNext(0L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.countByStatus(JobStatus.PROCESSING)).expectNext(200L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void renewLeaseOnlyByTheHolderWhileProcessing() {
        AsyncJob job = pending(T0);
        insert(job);
        claim("instance-a", T0, 1);
        Instant until = T0.plusSeconds(90);

        StepVerifier.create(jobs.renewLease(job.id(), "instance-b", until)).expectNext(false).expectComplete().verify(TIMEOUT);
        assertThat(find(job.id()).leaseExpiresAt()).isEqualTo(T0.plus(LEASE));

        StepVerifier.create(jobs.renewLease(job.id(), "instance-a", until)).expectNext(true).expectComplete().verify(TIMEOUT);
        assertThat(find(job.id()).leaseExpiresAt()).isEqualTo(until);
        assertThat(claim("instance-b", T0.plus(LEASE).plusSeconds(1), 1)).as("renewed lease still held").isEmpty();

        jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, body(5), null, T0.plusSeconds(40)).block(TIMEOUT);
        StepVerifier.create(jobs.renewLease(job.id(), "instance-a", until)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.renewLease(JobIds.next(), "instance-a", until)).expectNext(false).expectComplete().verify(TIMEOUT);
    }

    @Test
    void finishRecordsACompletedOutcomeExpiringAfterTheTtlAndReleasesTheLease() {
        AsyncJob job = pending(T0);
        insert(job);
        claim("instance-a", T0.plusSeconds(1), 1);
        byte[] result = body(200_000);
        Instant completedAt = T0.plusSeconds(7);

        StepVerifier.create(jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, result, null, completedAt))
                .expectNext(true).expectComplete().verify(TIMEOUT);

        assertThat(find(job.id())).isEqualTo(new AsyncJob(job.id(), job.operation(), job.ownerKeyId(), job.request(),
                null, JobStatus.COMPLETED, T0, T0.plusSeconds(1), completedAt, TTL, completedAt.plus(TTL), 200, result,
                null, null, null, 1));
    }

    @Test
    void finishRecordsAFailedOutcomeWithItsErrorBody() {
        AsyncJob job = pending(T0);
        insert(job);
        claim("instance-a", T0, 1);
        byte[] error = "{\"error\":{\"message\":\"upstream timed out\"}}".getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(jobs.finish(job.id(), "instance-a", JobStatus.FAILED, 504, null, error, T0.plusSeconds(3)))
                .expectNext(true).expectComplete().verify(TIMEOUT);

        AsyncJob failed = find(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.statusCode()).isEqualTo(504);
        assertThat(failed.error()).isEqualTo(error);
        assertThat(failed.result()).isNull();
        assertThat(failed.expiresAt()).isEqualTo(T0.plusSeconds(3).plus(TTL));
    }

    @Test
    void finishByAnInstanceNotHoldingTheLeaseDoesNotApply() {
        AsyncJob job = pending(T0);
        insert(job);

        StepVerifier.create(jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, body(3), null, T0))
                .as("pending: nobody holds it").expectNext(false).expectComplete().verify(TIMEOUT);
        claim("instance-a", T0, 1);
        StepVerifier.create(jobs.finish(job.id(), "instance-b", JobStatus.COMPLETED, 200, body(3), null, T0))
                .expectNext(false).expectComplete().verify(TIMEOUT);

        assertThat(find(job.id()).status()).isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void finishOfACancelledJobLeavesItCancelled() {
        AsyncJob job = pending(T0);
        insert(job);
        claim("instance-a", T0, 1);
        jobs.cancel(job.id(), T0.plusSeconds(2)).block(TIMEOUT);

        StepVerifier.create(jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, body(3), null, T0.plusSeconds(3)))
                .expectNext(false).expectComplete().verify(TIMEOUT);

        AsyncJob cancelled = find(job.id());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.result()).isNull();
        assertThat(cancelled.completedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void finishByTheFormerHolderOfAReclaimedJobDoesNotApply() {
        AsyncJob job = pending(T0);
        insert(job);
        claim("instance-a", T0, 1);
        Instant afterLease = T0.plus(LEASE).plusSeconds(1);
        assertThat(claim("instance-b", afterLease, 1)).hasSize(1);

        StepVerifier.create(jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, body(3), null, afterLease))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.renewLease(job.id(), "instance-a", afterLease.plus(LEASE)))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.finish(job.id(), "instance-b", JobStatus.FAILED, 500, null, body(3), afterLease.plusSeconds(1)))
                .expectNext(true).expectComplete().verify(TIMEOUT);
        assertThat(find(job.id()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void finishRefusesAStatusThatIsNotAnOutcome() {
        for (JobStatus status : List.of(JobStatus.PENDING, JobStatus.PROCESSING, JobStatus.CANCELLED)) {
            StepVerifier.create(jobs.finish(JobIds.next(), "instance-a", status, 200, null, null, T0))
                    .expectError(IllegalArgumentException.class).verify(TIMEOUT);
        }
    }

    @Test
    void cancelStopsPendingAndProcessingJobsButNotFinalOnes() {
        AsyncJob waiting = pending(T0);
        AsyncJob running = pending(T0.plusSeconds(1));
        AsyncJob done = pending(T0.plusSeconds(2));
        insert(waiting, running, done);
        claim("instance-a", T0.plusSeconds(3), 3);
        jobs.finish(done.id(), "instance-a", JobStatus.COMPLETED, 200, body(4), null, T0.plusSeconds(4)).block(TIMEOUT);
        jobs.releaseLeases("instance-a").block(TIMEOUT);
        claim("instance-a", T0.plusSeconds(5), 1);
        assertThat(find(waiting.id()).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(find(running.id()).status()).isEqualTo(JobStatus.PENDING);
        Instant now = T0.plusSeconds(10);

        StepVerifier.create(jobs.cancel(waiting.id(), now)).expectNext(true).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.cancel(running.id(), now)).expectNext(true).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.cancel(done.id(), now)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.cancel(waiting.id(), now.plusSeconds(1))).as("already cancelled").expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.cancel(JobIds.next(), now)).expectNext(false).expectComplete().verify(TIMEOUT);

        for (String id : List.of(waiting.id(), running.id())) {
            AsyncJob cancelled = find(id);
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cancelled.completedAt()).isEqualTo(now);
            assertThat(cancelled.expiresAt()).isEqualTo(now.plus(TTL));
            assertThat(cancelled.leaseOwner()).isNull();
            assertThat(cancelled.leaseExpiresAt()).isNull();
        }
        assertThat(find(done.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(find(done.id()).completedAt()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void deleteExpiredRemovesOnlyFinalJobsWhoseExpiryHasCome() {
        AsyncJob expiredNow = pending(T0);
        AsyncJob expiredBefore = pending(T0.plusMillis(1));
        AsyncJob notYet = pending(T0.plusMillis(2));
        AsyncJob stillRunning = pending(T0.plusMillis(3));
        AsyncJob stillPending = pending(T0.plusMillis(4));
        insert(expiredNow, expiredBefore, notYet);
        claim("instance-a", T0, 2);
        jobs.finish(expiredNow.id(), "instance-a", JobStatus.COMPLETED, 200, body(1), null, T0.plusSeconds(10)).block(TIMEOUT);
        jobs.finish(expiredBefore.id(), "instance-a", JobStatus.FAILED, 500, null, body(1), T0.plusSeconds(5)).block(TIMEOUT);
        jobs.cancel(notYet.id(), T0.plusSeconds(11)).block(TIMEOUT);
        insert(stillRunning, stillPending);
        claim("instance-b", T0, 1);
        Instant now = T0.plusSeconds(10).plus(TTL);

        StepVerifier.create(jobs.deleteExpired(now)).expectNext(2L).expectComplete().verify(TIMEOUT);

        assertThat(find(expiredNow.id())).isNull();
        assertThat(find(expiredBefore.id())).isNull();
        assertThat(find(notYet.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(find(stillRunning.id()).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(find(stillPending.id()).status()).isEqualTo(JobStatus.PENDING);
        StepVerifier.create(jobs.deleteExpired(now.plus(Duration.ofDays(365)))).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void releaseLeasesHandsTheOwnersJobsBackToPending() {
        AsyncJob a1 = pending(T0);
        AsyncJob a2 = pending(T0.plusSeconds(1));
        AsyncJob b1 = pending(T0.plusSeconds(2));
        insert(a1, a2, b1);
        claim("instance-a", T0, 2);
        claim("instance-b", T0, 1);

        StepVerifier.create(jobs.releaseLeases("instance-a")).expectNext(2L).expectComplete().verify(TIMEOUT);

        for (String id : List.of(a1.id(), a2.id())) {
            AsyncJob released = find(id);
            assertThat(released.status()).isEqualTo(JobStatus.PENDING);
            assertThat(released.leaseOwner()).isNull();
            assertThat(released.leaseExpiresAt()).isNull();
            assertThat(released.attempts()).as("a graceful hand-back gives the attempt back").isZero();
        }
        assertThat(find(b1.id()).leaseOwner()).isEqualTo("instance-b");
        assertThat(claim("instance-c", T0.plusSeconds(1), 5)).as("taken up at once, before any lease expiry")
                .extracting(AsyncJob::id, AsyncJob::attempts)
                .containsExactly(tuple(a1.id(), 1), tuple(a2.id(), 1));
        StepVerifier.create(jobs.releaseLeases("instance-a")).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void countsJobsByStatus() {
        insert(pending(T0), pending(T0.plusMillis(1)), pending(T0.plusMillis(2)));
        claim("instance-a", T0, 1);

        StepVerifier.create(jobs.countByStatus(JobStatus.PENDING)).expectNext(2L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.countByStatus(JobStatus.PROCESSING)).expectNext(1L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.countByStatus(JobStatus.COMPLETED)).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    static AsyncJob withId(AsyncJob job, String id) {
        return new AsyncJob(id, job.operation(), job.ownerKeyId(), job.request(), job.defaultProvider(), job.status(),
                job.createdAt(), job.startedAt(), job.completedAt(), job.resultTtl(), job.expiresAt(), job.statusCode(),
                job.result(), job.error(), job.leaseOwner(), job.leaseExpiresAt(), job.attempts());
    }
}
