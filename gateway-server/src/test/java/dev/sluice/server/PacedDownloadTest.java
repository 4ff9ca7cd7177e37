package dev.sluice.server;

import dev.sluice.core.Gateway;
import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.server.support.RawConnection;
import dev.sluice.server.support.RunningGateway;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/files/{id}/content} reads the file from the store at the pace the client reads it: a client that stops
 * reading leaves the rest of the file in the store, not in the gateway's memory.
 */
class PacedDownloadTest {

    private static final int CHUNK = FileRepository.CHUNK_BYTES;
    private static final int CHUNKS = 24;

    @Test
    void readsAheadOfASlowClientByAFewChunksOnly() {
        AtomicInteger chunksRead = new AtomicInteger();
        Store store = new CountingStore(R2dbcStore.open(TestDatabases.h2InMemory(), 4).block(Duration.ofSeconds(30)), chunksRead);
        Gateway engine = Gateway.builder().provider(RunningGateway.mock("demo")).store(store).maxFileBytes(64L * CHUNK).build();
        try (RunningGateway gateway = RunningGateway.serve(engine, Duration.ofSeconds(1))) {
            StoredFile file = engine.files().write("file-0123456789abcdef01234567", null, "big.bin", "user_data", null,
                    Flux.range(0, CHUNKS).map(i -> new byte[CHUNK])).block(Duration.ofSeconds(60));
            chunksRead.set(0);

            try (RawConnection slow = RawConnection.open(gateway.port(), 64 * 1024)) {
                slow.write("GET /v1/files/" + file.id() + "/content HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                long first = slow.drain(CHUNK, Duration.ofSeconds(10));
                sleep(1500);
                int whileStopped = chunksRead.get();

                long rest = slow.drain((long) CHUNKS * CHUNK, Duration.ofSeconds(30));
                System.out.printf("paced download: %d of %d chunks read while the client had read %d bytes and stopped%n",
                        whileStopped, CHUNKS, first);

                // The socket buffers hold a few MiB; everything else must still be in the store.
                assertThat(whileStopped).as("chunks read while the client had read %d bytes", first).isLessThanOrEqualTo(8);
                assertThat(first + rest).isGreaterThanOrEqualTo((long) CHUNKS * CHUNK);
                assertThat(chunksRead.get()).isEqualTo(CHUNKS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A store whose file content counts the chunks it reads. */
    private record CountingStore(Store store, AtomicInteger chunksRead) implements Store {
        @Override
        public dev.sluice.core.keys.VirtualKeyRepository virtualKeys() {
            return store.virtualKeys();
        }

        @Override
        public dev.sluice.core.usage.UsageRepository usage() {
            return store.usage();
        }

        @Override
        public dev.sluice.core.jobs.AsyncJobRepository jobs() {
            return store.jobs();
        }

        @Override
        public FileRepository files() {
            FileRepository files = store.files();
            return new FileRepository() {
                @Override
                public reactor.core.publisher.Mono<StoredFile> create(StoredFile file, Flux<byte[]> content, long maxBytes) {
                    return files.create(file, content, maxBytes);
                }

                @Override
                public reactor.core.publisher.Mono<StoredFile> findById(String id) {
                    return files.findById(id);
                }

                @Override
                public Flux<StoredFile> list(String ownerKeyId, String purpose, String afterId, boolean ascending, int limit) {
                    return files.list(ownerKeyId, purpose, afterId, ascending, limit);
                }

                @Override
                public Flux<byte[]> content(String id) {
                    return files.content(id).doOnNext(chunk -> chunksRead.incrementAndGet());
                }

                @Override
                public reactor.core.publisher.Mono<Boolean> delete(String id, java.time.Instant now) {
                    return files.delete(id, now);
                }

                @Override
                public reactor.core.publisher.Mono<Long> deleteExpired(java.time.Instant now) {
                    return files.deleteExpired(now);
                }

                @Override
                public reactor.core.publisher.Mono<Void> erase(String id) {
                    return files.erase(id);
                }

                @Override
                public reactor.core.publisher.Mono<Long> eraseOrphanUploads(java.time.Instant writtenBefore) {
                    return files.eraseOrphanUploads(writtenBefore);
                }

                @Override
                public reactor.core.publisher.Mono<Long> purgeDeleted(java.time.Instant deletedBefore) {
                    return files.purgeDeleted(deletedBefore);
                }
            };
        }

        @Override
        public dev.sluice.core.batches.BatchRepository batches() {
            return store.batches();
        }

        @Override
        public reactor.core.publisher.Mono<Boolean> ping() {
            return store.ping();
        }

        @Override
        public reactor.core.publisher.Mono<Void> close() {
            return store.close();
        }
    }
}
