package dev.sluice.core.store;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a store no batch can be created, and there is never a batch to find, list, claim or change. */
class NoStoreBatchesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final BatchRepository batches = Store.none().batches();

    private static Batch batch() {
        return Batch.created("batch_1", null, "/v1/chat/completions", "file-1", "24h", Map.of(), null, NOW, Duration.ofHours(24));
    }

    @Test
    void creatingABatchFailsSayingThereIsNoStore() {
        StepVerifier.create(batches.insert(batch()))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(GatewayException.class, failure -> assertThat(failure.status()).isEqualTo(501))
                        .hasMessageContaining("built without a store"))
                .verify(TIMEOUT);
    }

    @Test
    void thereIsNothingToFindListClaimOrChange() {
        Batch batch = batch();
        LineResult result = new LineResult(1, "req-1", false, new byte[] {'{', '}'}, "openai/gpt-4o", TokenCounts.NONE);

        StepVerifier.create(batches.findById(batch.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.list(null, null, 20)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.list("key-1", batch.id(), 20)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.claim("instance-a", NOW, Duration.ofSeconds(30), 10)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.renewLease(batch.id(), "instance-a", NOW)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.update(batch.moveTo(BatchStatus.IN_PROGRESS, NOW), "instance-a", BatchStatus.VALIDATING))
                .expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.requestCancel(batch.id(), NOW)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.recordResult(batch.id(), result)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.finishedLines(batch.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.results(batch.id(), false)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.results(batch.id(), true)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(batches.releaseLeases("instance-a")).expectNext(0L).expectComplete().verify(TIMEOUT);
    }
}
