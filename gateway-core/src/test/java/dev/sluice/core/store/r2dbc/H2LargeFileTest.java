package dev.sluice.core.store.r2dbc;

import dev.sluice.core.files.FileRepository;
import dev.sluice.core.internal.ids.FileIds;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large file through the embedded file database and back, generated and checked on the fly: neither the store
 * nor this test ever holds it whole.
 */
class H2LargeFileTest {

    private static final int PIECE = 64 * 1024 + 17;
    private static final long SIZE = 64L * 1024 * 1024;

    @TempDir
    Path directory;

    /** {@code size} pseudo-random bytes in pieces of an odd size, the same for the same seed, made as they are asked for. */
    static Flux<byte[]> generated(long seed, long size) {
        return Flux.generate(() -> new long[] {0}, (sent, sink) -> {
            int n = (int) Math.min(PIECE, size - sent[0]);
            byte[] piece = new byte[n];
            new SplittableRandom(seed + sent[0]).nextBytes(piece);
            sent[0] += n;
            sink.next(piece);
            if (sent[0] == size) {
                sink.complete();
            }
            return sent;
        });
    }

    static long crc(Flux<byte[]> content, long[] count) {
        CRC32 crc = new CRC32();
        content.doOnNext(bytes -> {
            crc.update(bytes);
            count[0] += bytes.length;
        }).then().block(TIMEOUT);
        return crc.getValue();
    }

    @Test
    void uploadsAndReadsBackA64MebibyteStreamChunkByChunk() {
        long[] expectedCount = {0};
        long expected = crc(generated(42, SIZE), expectedCount);
        Store store = StoreFixture.open(TestDatabases.h2File(directory));
        try {
            FileRepository files = store.files();
            StoredFile file = StoredFile.pending(FileIds.next(), "key-1", "batch", "big.jsonl", Instant.parse("2025-06-01T12:00:00Z"), null);

            StepVerifier.create(files.create(file, generated(42, SIZE), SIZE))
                    .assertNext(stored -> assertThat(stored.bytes()).isEqualTo(SIZE))
                    .expectComplete()
                    .verify(TIMEOUT);

            long[] count = {0};
            long actual = crc(files.content(file.id()), count);
            assertThat(count[0]).isEqualTo(expectedCount[0]).isEqualTo(SIZE);
            assertThat(actual).isEqualTo(expected);
        } finally {
            StoreFixture.close(store);
        }
    }
}
