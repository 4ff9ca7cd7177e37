package dev.sluice.core.store;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.internal.ids.FileIds;
import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.StoredFile;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a store no file can be uploaded, and there is never a file to find, list, read or delete. */
class NoStoreFilesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final FileRepository files = Store.none().files();

    @Test
    void uploadingAFileFailsSayingThereIsNoStore() {
        StoredFile file = StoredFile.pending(FileIds.next(), null, "batch", "input.jsonl", NOW, null);

        StepVerifier.create(files.create(file, Flux.just(new byte[] {'{', '}'}), 1000))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOfSatisfying(GatewayException.class, failure -> assertThat(failure.status()).isEqualTo(501))
                        .hasMessageContaining("built without a store"))
                .verify(TIMEOUT);
    }

    @Test
    void thereIsNothingToFindListReadOrDelete() {
        String id = "file-000000000000000000000000";
        StepVerifier.create(files.findById(id)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.list(null, null, null, false, 10)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.content(id)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.delete(id, NOW)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.deleteExpired(NOW)).expectNext(0L).expectComplete().verify(TIMEOUT);
    }
}
