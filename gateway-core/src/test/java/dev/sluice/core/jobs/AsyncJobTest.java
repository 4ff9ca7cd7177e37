package dev.sluice.core.jobs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncJobTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static AsyncJob job(byte[] request, byte[] result) {
        return new AsyncJob("id-1", "chat/completions", "key-1", request, "openai", JobStatus.COMPLETED, NOW, NOW,
                NOW.plusSeconds(1), Duration.ofHours(1), NOW.plusSeconds(1).plus(Duration.ofHours(1)), 200, result, null,
                null, null, 1);
    }

    @Test
    void aSubmittedJobIsPendingUnclaimedAndWithoutOutcome() {
        byte[] request = "{}".getBytes(StandardCharsets.UTF_8);

        AsyncJob job = AsyncJob.submitted("id-1", "embeddings", null, request, "openai", Duration.ofMinutes(5), NOW);

        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.createdAt()).isEqualTo(NOW);
        assertThat(job.resultTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(job.defaultProvider()).isEqualTo("openai");
        assertThat(job.ownerKeyId()).isNull();
        assertThat(job.attempts()).isZero();
        assertThat(job.startedAt()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.expiresAt()).isNull();
        assertThat(job.statusCode()).isNull();
        assertThat(job.result()).isNull();
        assertThat(job.error()).isNull();
        assertThat(job.leaseOwner()).isNull();
        assertThat(job.leaseExpiresAt()).isNull();
    }

    @Test
    void jobsWithEqualBodiesInDifferentArraysAreEqual() {
        AsyncJob one = job(new byte[] {1, 2, 3}, new byte[] {4, 5});
        AsyncJob two = job(new byte[] {1, 2, 3}, new byte[] {4, 5});

        assertThat(one).isEqualTo(two);
        assertThat(one).hasSameHashCodeAs(two);
        assertThat(one).isNotEqualTo(job(new byte[] {1, 2, 3}, new byte[] {4, 6}));
        assertThat(one).isNotEqualTo(job(new byte[] {1, 2, 3}, null));
    }

    @Test
    void toStringShowsBodySizesNotContent() {
        AsyncJob job = job("secret prompt".getBytes(StandardCharsets.UTF_8), new byte[42]);

        assertThat(job.toString()).contains("request=13 bytes", "result=42 bytes", "error=null").doesNotContain("secret");
    }

    @Test
    void refusesMissingRequiredFieldsAndNegativeCounts() {
        assertThatThrownBy(() -> AsyncJob.submitted(null, "x", null, new byte[0], null, Duration.ZERO, NOW))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AsyncJob.submitted("id", "x", null, null, null, Duration.ZERO, NOW))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AsyncJob.submitted("id", "x", null, new byte[0], null, Duration.ofSeconds(-1), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
