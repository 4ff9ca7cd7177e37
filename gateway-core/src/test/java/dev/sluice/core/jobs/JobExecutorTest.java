package dev.sluice.core.jobs;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.internal.jobs.JobExecutor;
import dev.sluice.core.internal.jobs.JobRunner;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.core.jobs.JobsTesting.LONG_LEASE;
import static dev.sluice.core.jobs.JobsTesting.NEVER;
import static dev.sluice.core.jobs.JobsTesting.POLL;
import static dev.sluice.core.jobs.JobsTesting.SHORT_LEASE;
import static dev.sluice.core.jobs.JobsTesting.TIMEOUT;
import static dev.sluice.core.jobs.JobsTesting.TTL;
import static dev.sluice.core.jobs.JobsTesting.awaitFinal;
import static dev.sluice.core.jobs.JobsTesting.count;
import static dev.sluice.core.jobs.JobsTesting.eventually;
import static dev.sluice.core.jobs.JobsTesting.eventuallyReads;
import static dev.sluice.core.jobs.JobsTesting.find;
import static dev.sluice.core.jobs.JobsTesting.pause;
import static dev.sluice.core.jobs.JobsTesting.settings;
import static dev.sluice.core.jobs.JobsTesting.submit;
import static dev.sluice.core.jobs.JobsTesting.text;
import static dev.sluice.core.jobs.JobsTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The executor over the real job queue on embedded H2, a fresh in-memory database for every test. */
class JobExecutorTest {

    private final Clock clock = Clock.systemUTC();
    private final List<JobExecutor> executors = new ArrayList<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private Store store;
    private RecordingJobs jobs;
    private Scheduler timer;

    @BeforeEach
    void open() {
        store = JobsTesting.openStore(TestDatabases.h2InMemory());
        jobs = new RecordingJobs(store.jobs());
        timer = Schedulers.newParallel("job-timer", 2);
    }

    @AfterEach
    void close() {
        try {
            executors.forEach(executor -> executor.stop().block(TIMEOUT));
        } finally {
            JobsTesting.close(store);
            timer.dispose();
        }
    }

    private JobExecutor executor(String owner, JobRunner runner, ExecutorSettings settings) {
        return executor(owner, runner, settings, clock);
    }

    private JobExecutor executor(String owner, JobRunner runner, ExecutorSettings settings, Clock executorClock) {
        JobExecutor executor = new JobExecutor(jobs, runner, executorClock, timer, settings, owner);
        executors.add(executor);
        return executor;
    }

    /** A runner that answers the job's request back at once, counting its runs. */
    private JobRunner echo() {
        return job -> Mono.fromSupplier(() -> {
            ran(job);
            return JobOutcome.completed(utf8("answer to " + text(job.request())));
        });
    }

    /** A runner that answers only once {@code release} completes, counting its runs and its cancellations. */
    private JobRunner heldUntil(Sinks.Empty<Void> release, AtomicInteger cancelled) {
        return job -> Mono.defer(() -> {
            ran(job);
            return release.asMono()
                    .thenReturn(JobOutcome.completed(utf8("released")))
                    .doOnCancel(cancelled::incrementAndGet);
        });
    }

    private void ran(AsyncJob job) {
        runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
    }

    @Test
    void runsASubmittedJobToCompletedWithTheRunnersBodyAnd200() {
        AsyncJob job = submit(jobs, clock, "{\"q\":1}");
        executor("instance-a", echo(), settings(4, POLL, LONG_LEASE)).start();

        AsyncJob done = awaitFinal(jobs, job.id());

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(text(done.result())).isEqualTo("answer to {\"q\":1}");
        assertThat(done.error()).isNull();
        assertThat(done.leaseOwner()).isNull();
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.expiresAt()).isEqualTo(done.completedAt().plus(TTL));
    }

    @Test
    void storesAFailedOutcomeAsFailedWithItsStatusCodeAndErrorBody() {
        byte[] envelope = utf8("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,"
                + "\"code\":null}}");
        AsyncJob job = submit(jobs, clock, "{}");
        executor("instance-a", ignored -> Mono.just(JobOutcome.failed(429, envelope)), settings(4, POLL, LONG_LEASE))
                .start();

        AsyncJob done = awaitFinal(jobs, job.id());

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.statusCode()).isEqualTo(429);
        assertThat(done.error()).isEqualTo(envelope);
        assertThat(done.result()).isNull();
    }

    @Test
    void wakeClaimsAJobAtOnceInsteadOfAtTheNextPoll() {
        JobExecutor executor = executor("instance-a", echo(), settings(4, NEVER, LONG_LEASE));
        executor.start();
        eventually("the first claim, made on start, is over", () -> jobs.claimsDone() == 1);

        AsyncJob job = submit(jobs, clock, "{}");
        pause(Duration.ofMillis(300));
        assertThat(find(jobs, job.id()).status()).as("before the wake-up, with the poll an hour away")
                .isEqualTo(JobStatus.PENDING);

        executor.wake();

        assertThat(awaitFinal(jobs, job.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void drainsALongQueueByClaimingAgainAsJobsFinishNotAtEachPoll() {
        List<AsyncJob> queue = submit(jobs, clock, 1000);
        JobExecutor executor = executor("instance-a", echo(), settings(8, NEVER, LONG_LEASE));
        executor.start();
        // Wake-ups from many threads at once, as submissions on a busy server, while the queue drains.
        Mono<Void> wakeUps = Flux.range(0, 2000)
                .parallel(4)
                .runOn(Schedulers.parallel())
                .doOnNext(i -> executor.wake())
                .then();
        StepVerifier.create(wakeUps).expectComplete().verify(TIMEOUT);

        eventuallyReads("all 1000 jobs completed",
                () -> jobs.countByStatus(JobStatus.COMPLETED).map(completed -> completed == 1000));

        assertThat(runs).hasSize(1000).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(queue).extracting(AsyncJob::id).containsExactlyInAnyOrderElementsOf(runs.keySet());
        assertThat(jobs.mostClaimsAtOnce()).as("claim rounds at once").isEqualTo(1);
        assertThat(jobs.claimLimits()).allSatisfy(limit -> assertThat(limit).isBetween(1, 8));
    }

    @Test
    void neverRunsMoreThanMaxConcurrencyJobsAtOnce() {
        submit(jobs, clock, 20);
        Sinks.Empty<Void> release = Sinks.empty();
        JobExecutor executor = executor("instance-a", heldUntil(release, new AtomicInteger()), settings(3, POLL, LONG_LEASE));
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicLong mostProcessing = new AtomicLong();
        Disposable watch = Flux.interval(Duration.ofMillis(5))
                .onBackpressureDrop()
                .doOnNext(tick -> mostInFlight.accumulateAndGet(executor.inFlight(), Math::max))
                .concatMap(tick -> jobs.countByStatus(JobStatus.PROCESSING), 1)
                .subscribe(processing -> mostProcessing.accumulateAndGet(processing, Math::max));
        try {
            executor.start();
            eventuallyReads("three jobs running", () -> jobs.countByStatus(JobStatus.PROCESSING)
                    .map(processing -> processing == 3 && executor.inFlight() == 3));
            pause(Duration.ofMillis(200));
            assertThat(executor.inFlight()).isEqualTo(3);
            assertThat(count(jobs, JobStatus.PENDING)).isEqualTo(17);

            release.tryEmitEmpty();

            eventuallyReads("all 20 jobs completed",
                    () -> jobs.countByStatus(JobStatus.COMPLETED).map(completed -> completed == 20));
        } finally {
            watch.dispose();
        }
        assertThat(mostInFlight).as("most jobs in flight").hasValue(3);
        assertThat(mostProcessing).as("most jobs processing in the queue").hasValueBetween(1L, 3L);
        assertThat(jobs.claimLimits()).as("slots asked for").allSatisfy(limit -> assertThat(limit).isBetween(1, 3));
        assertThat(runs).hasSize(20).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        eventually("no job in flight", () -> executor.inFlight() == 0);
    }

    @Test
    void aRunnerThatErrorsThrowsOrAnswersNothingEndsTheJobFailed500WithAnErrorEnvelope() {
        AsyncJob erroring = submit(jobs, clock, "error");
        AsyncJob throwing = submit(jobs, clock, "throw");
        AsyncJob silent = submit(jobs, clock, "empty");
        JobRunner broken = job -> switch (text(job.request())) {
            case "error" -> Mono.error(new IllegalStateException("secret detail"));
            case "throw" -> throw new IllegalStateException("secret detail");
            default -> Mono.empty();
        };
        executor("instance-a", broken, settings(4, POLL, LONG_LEASE)).start();

        for (AsyncJob job : List.of(erroring, throwing, silent)) {
            AsyncJob done = awaitFinal(jobs, job.id());
            assertThat(done.status()).as(text(job.request())).isEqualTo(JobStatus.FAILED);
            assertThat(done.statusCode()).as(text(job.request())).isEqualTo(500);
            assertThat(ErrorEnvelope.isEnvelope(done.error())).as(text(job.request())).isTrue();
            assertThat(text(done.error()))
                    .contains("\"type\":\"server_error\"", "\"code\":\"internal_error\"")
                    .doesNotContain("secret detail");
        }
    }

    @Test
    void aJobCancelledWhileRunningIsGivenUpAtTheNextRenewalAndStaysCancelled() {
        AsyncJob job = submit(jobs, clock, "{}");
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger cancelled = new AtomicInteger();
        JobExecutor executor = executor("instance-a", heldUntil(release, cancelled), settings(4, POLL, SHORT_LEASE));
        executor.start();
        eventually("the job is running", () -> executor.inFlight() == 1);

        StepVerifier.create(jobs.cancel(job.id(), clock.instant())).expectNext(true).expectComplete().verify(TIMEOUT);

        eventually("its run is cancelled", () -> cancelled.get() == 1 && executor.inFlight() == 0);
        release.tryEmitEmpty();
        pause(SHORT_LEASE);
        AsyncJob after = find(jobs, job.id());
        assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(after.statusCode()).isNull();
        assertThat(after.result()).isNull();
        assertThat(runs.get(job.id())).as("runs").hasValue(1);
    }

    @Test
    void anotherInstanceTakesACrashedInstancesJobsOverOnceTheirLeasesLapseAndRunsEachOnce() {
        List<AsyncJob> queue = submit(jobs, clock, 4);
        JobExecutor crashing = executor("instance-a", job -> Mono.never(), settings(8, POLL, SHORT_LEASE));
        crashing.start();
        eventuallyReads("instance A runs all four", () -> jobs.countByStatus(JobStatus.PROCESSING)
                .map(processing -> processing == 4 && crashing.inFlight() == 4));

        crashing.crash();
        pause(Duration.ofMillis(50));
        Instant leasesLapse = queue.stream()
                .map(job -> find(jobs, job.id()))
                .peek(job -> assertThat(job.leaseOwner()).isEqualTo("instance-a"))
                .map(AsyncJob::leaseExpiresAt)
                .max(Instant::compareTo)
                .orElseThrow();
        Map<String, Instant> takenOverAt = new ConcurrentHashMap<>();
        JobRunner recordingEcho = echo();
        executor("instance-b", job -> {
            takenOverAt.putIfAbsent(job.id(), clock.instant());
            return recordingEcho.run(job);
        }, settings(8, POLL, SHORT_LEASE)).start();

        eventuallyReads("instance B completed all four",
                () -> jobs.countByStatus(JobStatus.COMPLETED).map(completed -> completed == 4));
        pause(Duration.ofMillis(250));

        for (AsyncJob job : queue) {
            AsyncJob done = find(jobs, job.id());
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.attempts()).as("claims: A's, then B's").isEqualTo(2);
            assertThat(takenOverAt.get(job.id())).as("taken over").isAfter(leasesLapse.minusMillis(1));
        }
        assertThat(runs).as("runs on instance B, a few polls after the last completion").hasSize(4)
                .allSatisfy((id, count) -> assertThat(count).hasValue(1));
    }

    @Test
    void stopHandsRunningJobsBackToPendingAndCancelsTheirRuns() {
        List<AsyncJob> queue = submit(jobs, clock, 3);
        AtomicInteger cancelled = new AtomicInteger();
        JobExecutor executor = executor("instance-a", heldUntil(Sinks.empty(), cancelled), settings(8, POLL, LONG_LEASE));
        executor.start();
        eventually("all three running", () -> executor.inFlight() == 3);

        StepVerifier.create(executor.stop()).expectComplete().verify(TIMEOUT);

        assertThat(cancelled).hasValue(3);
        assertThat(executor.inFlight()).isZero();
        for (AsyncJob job : queue) {
            AsyncJob handedBack = find(jobs, job.id());
            assertThat(handedBack.status()).isEqualTo(JobStatus.PENDING);
            assertThat(handedBack.leaseOwner()).isNull();
        }
        executor.wake();
        pause(Duration.ofMillis(150));
        assertThat(count(jobs, JobStatus.PENDING)).as("pending after stop and a wake-up").isEqualTo(3);
        assertThatThrownBy(executor::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("instance-a");
    }

    @Test
    void startingTwiceRunsOneClaimLoop() {
        submit(jobs, clock, 3);
        JobExecutor executor = executor("instance-a", heldUntil(Sinks.empty(), new AtomicInteger()),
                settings(1, POLL, LONG_LEASE));
        executor.start();
        executor.start();

        eventually("one job running", () -> executor.inFlight() == 1);
        pause(Duration.ofMillis(150));

        assertThat(executor.inFlight()).isEqualTo(1);
        assertThat(count(jobs, JobStatus.PROCESSING)).isEqualTo(1);
        assertThat(jobs.mostClaimsAtOnce()).isEqualTo(1);
    }

    @Test
    void keepsClaimingAndSweepingAfterTheDatabaseFailsBriefly() {
        jobs.failNextClaims(3);
        jobs.failNextSweeps(2);
        AsyncJob job = submit(jobs, clock, "{}");
        executor("instance-a", echo(), new ExecutorSettings(4, POLL, LONG_LEASE, POLL)).start();

        assertThat(awaitFinal(jobs, job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(jobs.claimLimits()).as("claims, three of them failed").hasSizeGreaterThanOrEqualTo(4);
        eventually("a sweep succeeds after two failed", () -> jobs.sweepsDone() >= 1);
    }

    @Test
    void sweepDeletesFinishedJobsOnceTheirResultsExpire() {
        MutableClock movable = new MutableClock(Instant.ofEpochMilli(clock.millis()));
        AsyncJob job = submit(jobs, movable, "{}");
        executor("instance-a", echo(), new ExecutorSettings(4, POLL, LONG_LEASE, POLL), movable).start();
        AsyncJob done = awaitFinal(jobs, job.id());
        assertThat(done.expiresAt()).isEqualTo(movable.instant().plus(TTL));

        pause(Duration.ofMillis(200));
        assertThat(find(jobs, job.id())).as("kept for a few sweeps before it expires").isNotNull();

        movable.advance(TTL);

        eventuallyReads("the expired job is deleted", () -> jobs.findById(job.id()).hasElement().map(found -> !found));
    }
}
