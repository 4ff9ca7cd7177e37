package dev.sluice.core.jobs;

import dev.sluice.core.internal.ids.JobIds;
import dev.sluice.core.ExecutorSettings;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Stores, jobs and waiting for the executor tests. */
final class JobsTesting {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration TTL = Duration.ofHours(1);
    static final Duration POLL = Duration.ofMillis(50);
    /** Long enough that no renewal falls within a test that does not need one. */
    static final Duration LONG_LEASE = Duration.ofSeconds(30);
    /** Short enough to lapse, and to be renewed every 100 ms, within a test. */
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    /** A poll that never comes within a test: whatever runs was woken. */
    static final Duration NEVER = Duration.ofHours(1);

    private static final Duration CHECK_EVERY = Duration.ofMillis(10);

    private JobsTesting() {
    }

    static Store openStore(String url) {
        return R2dbcStore.open(url, 10).block(TIMEOUT);
    }

    static void close(Store store) {
        if (store != null) {
            store.close().block(TIMEOUT);
        }
    }

    static ExecutorSettings settings(int maxConcurrency, Duration pollInterval, Duration lease) {
        return new ExecutorSettings(maxConcurrency, pollInterval, lease, NEVER);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    static AsyncJob submit(AsyncJobRepository jobs, Clock clock, String request) {
        return jobs.insert(AsyncJob.submitted(JobIds.next(), "chat/completions", "key-1", utf8(request), null, TTL,
                clock.instant())).block(TIMEOUT);
    }

    static List<AsyncJob> submit(AsyncJobRepository jobs, Clock clock, int count) {
        return Flux.range(0, count)
                .map(i -> AsyncJob.submitted(JobIds.next(), "chat/completions", "key-1", utf8("{\"n\":" + i + "}"), null,
                        TTL, clock.instant()))
                .flatMap(jobs::insert, 8)
                .collectList()
                .block(TIMEOUT);
    }

    static AsyncJob find(AsyncJobRepository jobs, String id) {
        return jobs.findById(id).block(TIMEOUT);
    }

    static long count(AsyncJobRepository jobs, JobStatus status) {
        return jobs.countByStatus(status).block(TIMEOUT);
    }

    /** Waits until the job is final, and returns it. */
    static AsyncJob awaitFinal(AsyncJobRepository jobs, String id) {
        eventuallyReads("job " + id + " is final",
                () -> jobs.findById(id).map(job -> job.status().isFinal()).defaultIfEmpty(false));
        return find(jobs, id);
    }

    /** Waits until what the condition reads (from a repository, say) is true. */
    static void eventuallyReads(String what, Supplier<Mono<Boolean>> condition) {
        Boolean met = Mono.defer(condition)
                .filter(Boolean::booleanValue)
                .repeatWhenEmpty(Integer.MAX_VALUE, checks -> checks.delayElements(CHECK_EVERY))
                .timeout(TIMEOUT, Mono.just(false))
                .block();
        assertThat(met).as(what + " within " + TIMEOUT).isTrue();
    }

    static void eventually(String what, BooleanSupplier condition) {
        eventuallyReads(what, () -> Mono.fromSupplier(condition::getAsBoolean));
    }

    /** Lets real time pass on the test thread, to show that something does not happen. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
