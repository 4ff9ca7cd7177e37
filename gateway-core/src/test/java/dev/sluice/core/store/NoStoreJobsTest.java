package dev.sluice.core.store;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.internal.ids.JobIds;
import dev.sluice.core.jobs.JobStatus;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a store no job can be submitted, and there is never a job to find, claim or change. */
class NoStoreJobsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final AsyncJobRepository jobs = Store.none().jobs();

    @Test
    void submittingAJobFailsSayingThereIsNoStore() {
        AsyncJob job = AsyncJob.submitted(JobIds.next(), "chat/completions", null, new byte[] {'{', '}'}, null,
                Duration.ofHours(1), NOW);

        StepVerifier.create(jobs.insert(job))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(GatewayException.class, failure -> assertThat(failure.status()).isEqualTo(501))
                        .hasMessageContaining("built without a store"))
                .verify(TIMEOUT);
    }

    @Test
    void thereIsNothingToFindClaimOrChange() {
        String id = JobIds.next();
        StepVerifier.create(jobs.findById(id)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.claim("instance-a", NOW, Duration.ofSeconds(30), 10)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.renewLease(id, "instance-a", NOW)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.finish(id, "instance-a", JobStatus.COMPLETED, 200, new byte[0], null, NOW))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.cancel(id, NOW)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.deleteExpired(NOW)).expectNext(0L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.releaseLeases("instance-a")).expectNext(0L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(jobs.countByStatus(JobStatus.PENDING)).expectNext(0L).expectComplete().verify(TIMEOUT);
    }
}
