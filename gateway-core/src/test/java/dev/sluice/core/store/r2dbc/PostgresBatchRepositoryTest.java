package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchCounts;
import dev.sluice.core.batches.BatchUsage;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same contract on PostgreSQL, in a database of this class's own; skipped when PostgreSQL is down. Also:
 * several instances, each with its own pool, sharing the batches.
 */
class PostgresBatchRepositoryTest extends BatchRepositoryContract {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Override
    String url() {
        return postgres.url();
    }

    @Test
    void twoInstancesClaimingConcurrentlyNeverBothGetOneBatch() {
        List<Batch> created = IntStream.range(0, 100).mapToObj(i -> created(T0.plusMillis(i))).toList();
        Flux.fromIterable(created).flatMap(batches()::insert, 16).then().block(TIMEOUT);
        Store other = StoreFixture.open(url());
        try {
            Instant now = T0.plusSeconds(1);
            // Two claimers per instance, all on parallel threads, so claims of both pools interleave.
            Flux<Batch> first = Flux.range(0, 2).flatMap(i -> drain(batches(), "instance-a-" + i, now, 3)
                    .subscribeOn(Schedulers.parallel()));
            Flux<Batch> second = Flux.range(0, 2).flatMap(i -> drain(other.batches(), "instance-b-" + i, now, 3)
                    .subscribeOn(Schedulers.parallel()));

            List<Batch> claimed = Flux.merge(first, second).collectList().block(TIMEOUT);

            claimedExactlyOnce(claimed, created);
            assertThat(claimed).extracting(Batch::leaseOwner).as("both instances took part")
                    .anyMatch(owner -> owner.startsWith("instance-a"))
                    .anyMatch(owner -> owner.startsWith("instance-b"));
            for (Batch batch : claimed) {
                assertThat(find(batch.id()).leaseOwner()).as("the lease is the claimer's").isEqualTo(batch.leaseOwner());
            }
        } finally {
            StoreFixture.close(other);
        }
    }

    @Test
    void fiveHundredResultsRecordedConcurrentlyByTwoInstancesAreCountedExactly() {
        Batch batch = created(T0);
        insert(batch);
        int lines = 500;
        Store other = StoreFixture.open(url());
        try {
            // Every line goes to one instance, and a tenth of them is recorded again by the other one, all at once.
            Flux<Boolean> first = Flux.range(1, lines).filter(line -> line % 2 == 0)
                    .flatMap(line -> batches().recordResult(batch.id(), lineResult(line)), 32)
                    .subscribeOn(Schedulers.parallel());
            Flux<Boolean> second = Flux.range(1, lines).filter(line -> line % 2 == 1)
                    .flatMap(line -> other.batches().recordResult(batch.id(), lineResult(line)), 32)
                    .subscribeOn(Schedulers.parallel());
            Flux<Boolean> again = Flux.range(1, lines).filter(line -> line % 10 == 0)
                    .flatMap(line -> other.batches().recordResult(batch.id(), lineResult(line)), 8)
                    .subscribeOn(Schedulers.parallel());

            List<Boolean> recorded = Flux.merge(first, second, again).collectList().block(TIMEOUT);

            assertThat(recorded).filteredOn(applied -> applied).as("each line once").hasSize(lines);
            assertThat(recorded).hasSize(lines + lines / 10);
            int failed = (int) IntStream.rangeClosed(1, lines).filter(line -> line % 7 == 0).count();
            long input = IntStream.rangeClosed(1, lines).mapToLong(line -> line).sum();
            long output = IntStream.rangeClosed(1, lines).mapToLong(line -> 3L * line).sum();
            Batch counted = find(batch.id());
            assertThat(counted.counts()).isEqualTo(new BatchCounts(0, lines - failed, failed));
            assertThat(counted.usage()).isEqualTo(new BatchUsage(input, output, 0, 0));
            StepVerifier.create(other.batches().finishedLines(batch.id()).collectList())
                    .assertNext(finished -> assertThat(finished).containsExactlyElementsOf(
                            IntStream.rangeClosed(1, lines).boxed().toList()))
                    .expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(other);
        }
    }

    private static LineResult lineResult(int line) {
        return new LineResult(line, "request-" + line, line % 7 == 0, outputLine(line, 100), "openai/gpt-4o-mini",
                new TokenCounts(line, 3L * line));
    }

    @Test
    void batchesResultsAndLeasesSurviveReopening() {
        Batch first = created(T0);
        Batch second = created(T0.plusSeconds(1));
        insert(second, first);
        claim("instance-a", T0.plusSeconds(2), 1);
        record(first.id(), lineResult(1));
        Batch claimed = find(first.id());
        StoreFixture.close(store());

        Store reopened = StoreFixture.open(url());
        try {
            StepVerifier.create(reopened.batches().findById(first.id())).expectNext(claimed).expectComplete().verify(TIMEOUT);
            StepVerifier.create(reopened.batches().findById(second.id())).expectNext(second).expectComplete().verify(TIMEOUT);
            StepVerifier.create(reopened.batches().finishedLines(first.id())).expectNext(1).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(reopened);
        }
    }
}
