package dev.sluice.core.store.r2dbc;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.List;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same contract on PostgreSQL, in a database of this class's own; skipped when PostgreSQL is down. Also:
 * several instances, each with its own pool, sharing the queue.
 */
class PostgresAsyncJobRepositoryTest extends AsyncJobRepositoryContract {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Override
    String url() {
        return postgres.url();
    }

    @Test
    void twoInstancesClaimingConcurrentlyClaimEveryJobExactlyOnce() {
        List<AsyncJob> submitted = Flux.range(0, 200).map(i -> pending(T0.plusMillis(i))).collectList().block(TIMEOUT);
        Flux.fromIterable(submitted).flatMap(jobs()::insert, 16).then().block(TIMEOUT);
        Store other = StoreFixture.open(url());
        try {
            Instant now = T0.plusSeconds(1);
            // Two claimers per instance, all on parallel threads, so claims of both pools interleave.
            Flux<AsyncJob> first = Flux.range(0, 2).flatMap(i -> drain(jobs(), "instance-a-" + i, now, 5)
                    .subscribeOn(Schedulers.parallel()));
            Flux<AsyncJob> second = Flux.range(0, 2).flatMap(i -> drain(other.jobs(), "instance-b-" + i, now, 5)
                    .subscribeOn(Schedulers.parallel()));

            List<AsyncJob> claimed = Flux.merge(first, second).collectList().block(TIMEOUT);

            claimedExactlyOnce(claimed, submitted);
            assertThat(claimed).extracting(AsyncJob::leaseOwner).as("both instances took part")
                    .anyMatch(owner -> owner.startsWith("instance-a"))
                    .anyMatch(owner -> owner.startsWith("instance-b"));
            StepVerifier.create(other.jobs().countByStatus(JobStatus.PENDING)).expectNext(0L).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(other);
        }
    }

    @Test
    void jobsAndTheirLeasesSurviveReopening() {
        AsyncJob first = pending(T0);
        AsyncJob second = pending(T0.plusSeconds(1));
        insert(second, first);
        claim("instance-a", T0.plusSeconds(2), 1);
        AsyncJob claimed = find(first.id());
        assertThat(claimed.leaseOwner()).isEqualTo("instance-a");
        StoreFixture.close(store());

        Store reopened = StoreFixture.open(url());
        try {
            StepVerifier.create(reopened.jobs().findById(first.id())).expectNext(claimed).expectComplete().verify(TIMEOUT);
            StepVerifier.create(reopened.jobs().findById(second.id())).expectNext(second).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(reopened);
        }
    }
}
