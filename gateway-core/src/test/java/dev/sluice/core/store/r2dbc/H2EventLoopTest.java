package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.core.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.sluice.core.store.r2dbc.AsyncJobRepositoryContract.LEASE;
import static dev.sluice.core.store.r2dbc.AsyncJobRepositoryContract.T0;
import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static dev.sluice.core.store.r2dbc.StoreFixture.sameAs;
import static dev.sluice.core.store.r2dbc.UsageRepositoryContract.JUNE;
import static org.assertj.core.api.Assertions.assertThat;

/** Embedded H2 blocks on file I/O, so the store moves it off non-blocking threads; BlockHound would fail the test if not. */
class H2EventLoopTest {

    @TempDir
    Path directory;

    @Test
    void openingUsingAndClosingFromAParallelThreadDoesNotBlockIt() {
        VirtualKey key = StoreFixture.key("parallel");

        Mono<Usage> everything = Mono.usingWhen(
                R2dbcStore.open(TestDatabases.h2File(directory), 4),
                store -> store.virtualKeys().insert(key)
                        .then(store.virtualKeys().findByValueHash(key.valueHash()))
                        .then(store.virtualKeys().findAll().then())
                        .then(store.usage().add(key.id(), JUNE, new Usage(1, 1, 1, 1)))
                        .then(store.virtualKeys().upsertByName(key))
                        .then(store.ping())
                        .then(store.usage().find(key.id(), JUNE))
                        .flatMap(usage -> store.virtualKeys().deleteByName(key.name()).thenReturn(usage)),
                Store::close);

        StepVerifier.create(everything.subscribeOn(Schedulers.parallel()))
                .expectNext(new Usage(1, 1, 1, 1))
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void eachCallFromAParallelThreadDoesNotBlockIt() {
        Store store = StoreFixture.open(TestDatabases.h2InMemory());
        boolean closed = false;
        try {
            VirtualKey key = StoreFixture.key("parallel-each");
            StepVerifier.create(Mono.defer(() -> store.virtualKeys().insert(key)).subscribeOn(Schedulers.parallel()))
                    .assertNext(sameAs(key))
                    .expectComplete().verify(TIMEOUT);
            StepVerifier.create(Mono.defer(() -> store.usage().find(key.id(), JUNE)).subscribeOn(Schedulers.parallel()))
                    .expectNext(Usage.ZERO)
                    .expectComplete().verify(TIMEOUT);
            StepVerifier.create(Mono.defer(store::close).subscribeOn(Schedulers.parallel()))
                    .expectComplete()
                    .verify(TIMEOUT);
            closed = true;
        } finally {
            if (!closed) {
                StoreFixture.close(store);
            }
        }
    }

    @Test
    void everyJobCallFromAParallelThreadDoesNotBlockIt() {
        Store store = StoreFixture.open(TestDatabases.h2InMemory());
        try {
            AsyncJobRepository jobs = store.jobs();
            AsyncJob job = AsyncJobRepositoryContract.pending(T0);
            AsyncJob other = AsyncJobRepositoryContract.pending(T0.plusSeconds(1));
            Instant now = T0.plusSeconds(2);

            Mono<List<Object>> everything = Flux.concat(
                            jobs.insert(job),
                            jobs.insert(other),
                            jobs.findById(job.id()),
                            jobs.claim("instance-a", now, LEASE, 2),
                            jobs.renewLease(job.id(), "instance-a", now.plus(LEASE)),
                            jobs.finish(job.id(), "instance-a", JobStatus.COMPLETED, 200, new byte[] {1}, null, now),
                            jobs.releaseLeases("instance-a"),
                            jobs.cancel(other.id(), now),
                            jobs.countByStatus(JobStatus.CANCELLED),
                            jobs.deleteExpired(now.plus(Duration.ofDays(1))))
                    .<Object>map(value -> value)
                    .collectList();

            StepVerifier.create(Mono.defer(() -> everything).subscribeOn(Schedulers.parallel()))
                    .assertNext(results -> assertThat(results).endsWith(true, true, 1L, true, 1L, 2L))
                    .expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(store);
        }
    }

    @Test
    void everyBatchCallFromAParallelThreadDoesNotBlockIt() {
        Store store = StoreFixture.open(TestDatabases.h2InMemory());
        try {
            BatchRepository batches = store.batches();
            Batch batch = BatchRepositoryContract.created(T0);
            Batch other = BatchRepositoryContract.created(T0.plusSeconds(1));
            Instant now = T0.plusSeconds(2);

            Mono<List<Object>> everything = Flux.concat(
                            batches.insert(batch),
                            batches.insert(other),
                            batches.findById(batch.id()),
                            batches.list(batch.ownerKeyId(), null, 10),
                            batches.claim("instance-a", now, LEASE, 2),
                            batches.renewLease(batch.id(), "instance-a", now.plus(LEASE)),
                            batches.recordResult(batch.id(), BatchRepositoryContract.result(1, false)),
                            batches.recordResult(batch.id(), BatchRepositoryContract.result(1, false)),
                            batches.finishedLines(batch.id()),
                            batches.results(batch.id(), false).map(LineResult::line),
                            batches.update(batch.moveTo(BatchStatus.IN_PROGRESS, now), "instance-a", BatchStatus.VALIDATING),
                            batches.requestCancel(other.id(), now),
                            batches.releaseLeases("instance-a"))
                    .<Object>map(value -> value)
                    .collectList();

            StepVerifier.create(Mono.defer(() -> everything).subscribeOn(Schedulers.parallel()))
                    .assertNext(results -> assertThat(results).endsWith(true, true, false, 1, 1, true, true, 2L))
                    .expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(store);
        }
    }
}
