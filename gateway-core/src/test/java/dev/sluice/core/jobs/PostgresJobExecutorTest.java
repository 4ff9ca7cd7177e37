package dev.sluice.core.jobs;

import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.internal.jobs.JobExecutor;
import dev.sluice.core.internal.jobs.JobRunner;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.PostgresPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.core.jobs.JobsTesting.POLL;
import static dev.sluice.core.jobs.JobsTesting.TIMEOUT;
import static dev.sluice.core.jobs.JobsTesting.eventuallyReads;
import static dev.sluice.core.jobs.JobsTesting.settings;
import static dev.sluice.core.jobs.JobsTesting.submit;
import static dev.sluice.core.jobs.JobsTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Several instances, each with its own pool, sharing one queue on PostgreSQL; skipped when PostgreSQL is down. */
class PostgresJobExecutorTest {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private final Clock clock = Clock.systemUTC();

    @Test
    void twoInstancesSharingAQueueRunEveryJobExactlyOnceAndBothTakePart() {
        Store first = JobsTesting.openStore(postgres.url());
        Store second = JobsTesting.openStore(postgres.url());
        Scheduler timer = Schedulers.newParallel("job-timer", 2);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runsByInstance = new ConcurrentHashMap<>();
        JobExecutor a = null;
        JobExecutor b = null;
        try {
            List<AsyncJob> queue = submit(first.jobs(), clock, 100);
            ExecutorSettings settings = settings(4, POLL, Duration.ofSeconds(5));
            a = new JobExecutor(first.jobs(), counting("instance-a", runs, runsByInstance), clock, timer, settings,
                    "instance-a");
            b = new JobExecutor(second.jobs(), counting("instance-b", runs, runsByInstance), clock, timer, settings,
                    "instance-b");
            a.start();
            b.start();

            eventuallyReads("all 100 jobs completed",
                    () -> first.jobs().countByStatus(JobStatus.COMPLETED).map(completed -> completed == 100));

            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(queue.stream().map(AsyncJob::id).toList());
            assertThat(runs).allSatisfy((id, count) -> assertThat(count).as("runs of " + id).hasValue(1));
            assertThat(runsByInstance).as("jobs run by each instance").containsOnlyKeys("instance-a", "instance-b")
                    .allSatisfy((instance, count) -> assertThat(count.get()).as(instance).isPositive());
            StepVerifier.create(second.jobs().countByStatus(JobStatus.PROCESSING))
                    .expectNext(0L).expectComplete().verify(TIMEOUT);
        } finally {
            for (JobExecutor executor : new JobExecutor[] {a, b}) {
                if (executor != null) {
                    executor.stop().block(TIMEOUT);
                }
            }
            JobsTesting.close(first);
            JobsTesting.close(second);
            timer.dispose();
        }
    }

    /** Answers after a short wait, as an upstream call would, counting the runs of each job and of each instance. */
    private static JobRunner counting(String instance, Map<String, AtomicInteger> runs,
                                      Map<String, AtomicInteger> runsByInstance) {
        return job -> Mono.defer(() -> {
            runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            runsByInstance.computeIfAbsent(instance, id -> new AtomicInteger()).incrementAndGet();
            return Mono.delay(Duration.ofMillis(10)).thenReturn(JobOutcome.completed(utf8("done by " + instance)));
        });
    }
}
