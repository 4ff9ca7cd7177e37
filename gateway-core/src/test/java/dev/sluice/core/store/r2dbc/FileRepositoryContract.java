package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.internal.ids.FileIds;
import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.FileTooLargeException;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** What every database must do for files and their chunked content; subclasses say which database. */
abstract class FileRepositoryContract {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final int MIB = 1024 * 1024;
    static final long NO_LIMIT = Long.MAX_VALUE;
    private static final int[] ODD_SIZES = {1, 7, 65_537, 333_333, 4093, 1_500_001};

    private String url;
    private Store store;
    private FileRepository files;

    /** The database for the next test; may be shared by the tests of one class. */
    abstract String url();

    @BeforeEach
    void openStore() {
        url = url();
        store = StoreFixture.open(url);
        files = store.files();
        Sql.execute(url, "DELETE FROM file_chunks");
        Sql.execute(url, "DELETE FROM files");
    }

    @AfterEach
    void closeStore() {
        StoreFixture.close(store);
    }

    static StoredFile file(String owner, String purpose, Instant createdAt) {
        return StoredFile.pending(FileIds.next(), owner, purpose, "input.jsonl", createdAt, null);
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** {@code data} cut into pieces of odd sizes, as a network would deliver it. */
    static Flux<byte[]> pieces(byte[] data) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < data.length; i++) {
            int size = Math.min(ODD_SIZES[i % ODD_SIZES.length], data.length - at);
            byte[] piece = new byte[size];
            System.arraycopy(data, at, piece, 0, size);
            pieces.add(piece);
            at += size;
        }
        return Flux.fromIterable(pieces);
    }

    StoredFile create(StoredFile file, byte[] content) {
        return files.create(file, pieces(content), NO_LIMIT).block(TIMEOUT);
    }

    StoredFile create(String owner, String purpose, Instant createdAt) {
        return create(file(owner, purpose, createdAt), new byte[] {'{', '}', '\n'});
    }

    byte[] read(String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.content(id).doOnNext(out::writeBytes).then().block(TIMEOUT);
        return out.toByteArray();
    }

    long chunks(String id) {
        return Sql.number(url, "SELECT COUNT(*) FROM file_chunks WHERE file_id = '" + id + "'");
    }

    long allChunks() {
        return Sql.number(url, "SELECT COUNT(*) FROM file_chunks");
    }

    List<String> list(String owner, String purpose, String after, boolean ascending, int limit) {
        return files.list(owner, purpose, after, ascending, limit).map(StoredFile::id).collectList().block(TIMEOUT);
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited for a condition").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void roundTripsContentByteForByteWhateverThePieceSizes() {
        byte[] content = random(3 * MIB + 12_345);
        StoredFile file = file("key-1", "batch", T0);

        StoredFile stored = create(file, content);

        assertThat(stored).isEqualTo(file.withBytes(content.length));
        StepVerifier.create(files.findById(file.id())).expectNext(stored).expectComplete().verify(TIMEOUT);
        assertThat(read(file.id())).isEqualTo(content);
    }

    @Test
    void storesContentInChunksOfOneMebibyteTheLastOneShorter() {
        byte[] content = random(3 * MIB + MIB / 2);
        StoredFile file = create(file(null, "batch", T0), content);

        assertThat(chunks(file.id())).isEqualTo(4);
        StepVerifier.create(files.content(file.id()).map(chunk -> chunk.length))
                .expectNext(MIB, MIB, MIB, MIB / 2)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void storesAnEmptyFileWithoutChunks() {
        StoredFile file = files.create(file(null, "user_data", T0), Flux.empty(), NO_LIMIT).block(TIMEOUT);

        assertThat(file.bytes()).isZero();
        assertThat(chunks(file.id())).isZero();
        StepVerifier.create(files.content(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anUploadOverTheLimitFailsWith413StopsReadingAndLeavesNothing() {
        StoredFile file = file("key-1", "batch", T0);
        AtomicInteger piecesRead = new AtomicInteger();
        // 8 MiB on offer, in pieces of 256 KiB; the limit is 2.5 MiB.
        Flux<byte[]> content = Flux.range(0, 32).map(i -> random(MIB / 4)).doOnNext(piece -> piecesRead.incrementAndGet());

        StepVerifier.create(files.create(file, content, 5L * MIB / 2))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(FileTooLargeException.class)
                        .hasMessage("File is larger than the limit of 2621440 bytes (files.max_bytes).")
                        .satisfies(e -> assertThat(((FileTooLargeException) e).status()).isEqualTo(413)))
                .verify(TIMEOUT);

        assertThat(piecesRead).as("pieces read past the limit").hasValueLessThanOrEqualTo(12);
        assertThat(allChunks()).isZero();
        StepVerifier.create(files.findById(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anUploadExactlyAtTheLimitIsAccepted() {
        byte[] content = random(2 * MIB);

        StoredFile file = files.create(file(null, "batch", T0), pieces(content), 2L * MIB).block(TIMEOUT);

        assertThat(file.bytes()).isEqualTo(2L * MIB);
    }

    @Test
    void aFailedUploadLeavesNothing() {
        StoredFile file = file("key-1", "batch", T0);
        Flux<byte[]> content = Flux.range(0, 10).map(i -> random(MIB / 2))
                .concatWith(Flux.error(new IllegalStateException("client went away")));

        StepVerifier.create(files.create(file, content, NO_LIMIT))
                .expectErrorMessage("client went away")
                .verify(TIMEOUT);

        assertThat(allChunks()).isZero();
        StepVerifier.create(files.findById(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aCancelledUploadLeavesNothing() {
        StoredFile file = file("key-1", "batch", T0);
        Flux<byte[]> content = Flux.range(0, 6).map(i -> random(MIB / 2)).concatWith(Flux.never());

        Disposable upload = files.create(file, content, NO_LIMIT).subscribe();
        await(() -> chunks(file.id()) == 3);
        upload.dispose();

        await(() -> allChunks() == 0);
        StepVerifier.create(files.findById(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aFileIsInvisibleUntilItsContentIsComplete() {
        StoredFile file = file("key-1", "batch", T0);
        Sinks.Many<byte[]> rest = Sinks.many().unicast().onBackpressureBuffer();
        Flux<byte[]> content = Flux.range(0, 4).map(i -> random(MIB / 2)).concatWith(rest.asFlux());

        Sinks.One<StoredFile> created = Sinks.one();
        files.create(file, content, NO_LIMIT).subscribe(created::tryEmitValue);
        await(() -> chunks(file.id()) == 2);

        StepVerifier.create(files.findById(file.id())).expectComplete().verify(TIMEOUT);
        assertThat(list("key-1", null, null, false, 10)).isEmpty();

        rest.tryEmitNext(random(100));
        rest.tryEmitComplete();
        StepVerifier.create(created.asMono()).assertNext(done -> assertThat(done.bytes()).isEqualTo(2L * MIB + 100))
                .expectComplete().verify(TIMEOUT);
        assertThat(list("key-1", null, null, false, 10)).containsExactly(file.id());
    }

    @Test
    void refusesAnIdAlreadyInUseWithoutTouchingThatFile() {
        byte[] content = random(1000);
        StoredFile first = create(file("key-1", "batch", T0), content);

        StepVerifier.create(files.create(first, pieces(random(10)), NO_LIMIT))
                .expectError(IllegalArgumentException.class)
                .verify(TIMEOUT);

        assertThat(read(first.id())).isEqualTo(content);
    }

    @Test
    void listsNewestFirstByDefaultAndOldestFirstWhenAscending() {
        StoredFile a = create("key-1", "batch", T0);
        StoredFile c = create("key-1", "batch", T0.plusSeconds(2));
        StoredFile b = create("key-1", "batch", T0.plusSeconds(1));

        assertThat(list("key-1", null, null, false, 10)).containsExactly(c.id(), b.id(), a.id());
        assertThat(list("key-1", null, null, true, 10)).containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void ordersFilesCreatedInTheSameMillisecondByIdAndContinuesAfterACursorInEitherDirection() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(create("key-1", "batch", T0.plusMillis(i / 2)).id());
        }
        List<String> ascending = list("key-1", null, null, true, 10);
        assertThat(ascending).containsExactlyInAnyOrderElementsOf(ids);
        for (int i = 0; i < 6; i += 2) {
            assertThat(ascending.subList(i, i + 2)).as("same millisecond, by id").isSorted()
                    .containsExactlyInAnyOrder(ids.get(i), ids.get(i + 1));
        }

        List<String> descending = list("key-1", null, null, false, 10);
        assertThat(descending).containsExactlyElementsOf(ascending.reversed());
        for (int i = 0; i < 6; i++) {
            assertThat(list("key-1", null, ascending.get(i), true, 10)).containsExactlyElementsOf(ascending.subList(i + 1, 6));
            assertThat(list("key-1", null, descending.get(i), false, 10)).containsExactlyElementsOf(descending.subList(i + 1, 6));
        }
        assertThat(list("key-1", null, ascending.get(1), true, 2)).containsExactlyElementsOf(ascending.subList(2, 4));
    }

    @Test
    void listsOnlyTheOwnersFilesWithFilesCreatedWithoutAKeyOwnedByNobody() {
        StoredFile mine = create("key-1", "batch", T0);
        StoredFile theirs = create("key-2", "batch", T0.plusSeconds(1));
        StoredFile nobodys = create(null, "batch", T0.plusSeconds(2));

        assertThat(list("key-1", null, null, false, 10)).containsExactly(mine.id());
        assertThat(list("key-2", null, null, false, 10)).containsExactly(theirs.id());
        assertThat(list(null, null, null, false, 10)).containsExactly(nobodys.id());
    }

    @Test
    void filtersByPurpose() {
        StoredFile batch = create("key-1", "batch", T0);
        StoredFile tune = create("key-1", "fine-tune", T0.plusSeconds(1));

        assertThat(list("key-1", "batch", null, false, 10)).containsExactly(batch.id());
        assertThat(list("key-1", "fine-tune", null, false, 10)).containsExactly(tune.id());
        assertThat(list("key-1", "vision", null, false, 10)).isEmpty();
    }

    @Test
    void anUnknownCursorContinuesAfterNothing() {
        create("key-1", "batch", T0);

        assertThat(list("key-1", null, "file-000000000000000000000000", false, 10)).isEmpty();
    }

    @Test
    void deleteErasesTheContentAtOnceAndKeepsTheRowMarkedDeleted() {
        StoredFile file = create(file("key-1", "batch", T0), random(2 * MIB + 1));
        Instant now = T0.plusSeconds(60);

        StepVerifier.create(files.delete(file.id(), now)).expectNext(true).expectComplete().verify(TIMEOUT);

        assertThat(chunks(file.id())).isZero();
        StepVerifier.create(files.findById(file.id()))
                .assertNext(deleted -> assertThat(deleted.deletedAt()).isEqualTo(now))
                .expectComplete().verify(TIMEOUT);
        assertThat(list("key-1", null, null, false, 10)).isEmpty();
        StepVerifier.create(files.content(file.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.delete(file.id(), now)).expectNext(false).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.delete("file-000000000000000000000000", now)).expectNext(false).expectComplete().verify(TIMEOUT);
    }

    @Test
    void deleteExpiredDeletesOnlyFilesWhoseExpiryHasPassed() {
        StoredFile soon = create(StoredFile.pending(FileIds.next(), "key-1", "batch", "a", T0, T0.plusSeconds(3600)), random(10));
        StoredFile later = create(StoredFile.pending(FileIds.next(), "key-1", "batch", "b", T0, T0.plusSeconds(7200)), random(10));
        StoredFile never = create(file("key-1", "assistants", T0), random(10));
        Instant now = T0.plusSeconds(3600);

        StepVerifier.create(files.deleteExpired(now)).expectNext(1L).expectComplete().verify(TIMEOUT);

        assertThat(files.findById(soon.id()).block(TIMEOUT).deletedAt()).isEqualTo(now);
        assertThat(chunks(soon.id())).isZero();
        assertThat(chunks(later.id())).isOne();
        assertThat(chunks(never.id())).isOne();
        assertThat(list("key-1", null, null, true, 10)).containsExactlyInAnyOrder(later.id(), never.id());
        StepVerifier.create(files.deleteExpired(now)).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void deleteExpiredSparesTheInputFileOfABatchUntilTheBatchEnds() {
        StoredFile input = create(StoredFile.pending(FileIds.next(), "key-1", "batch", "in", T0, T0.plusSeconds(3600)), random(10));
        String batchId = "batch_expiry_" + input.id();
        Sql.execute(url, "DELETE FROM batches WHERE id = '" + batchId + "'");
        store.batches().insert(Batch.created(batchId, "key-1", "/v1/chat/completions", input.id(), "24h", Map.of(), null, T0,
                Duration.ofHours(24))).block(TIMEOUT);
        Instant now = T0.plusSeconds(7200);

        StepVerifier.create(files.deleteExpired(now)).expectNext(0L).expectComplete().verify(TIMEOUT);
        assertThat(chunks(input.id())).as("a running batch still reads it").isOne();

        Sql.execute(url, "UPDATE batches SET status = 'completed' WHERE id = '" + batchId + "'");
        StepVerifier.create(files.deleteExpired(now)).expectNext(1L).expectComplete().verify(TIMEOUT);
        assertThat(chunks(input.id())).isZero();
        Sql.execute(url, "DELETE FROM batches WHERE id = '" + batchId + "'");
    }

    @Test
    void eraseOrphanUploadsErasesTheChunksOfUploadsACrashCutShortAndNothingElse() {
        StoredFile complete = create(file("key-1", "batch", T0), random(10));
        StoredFile crashed = create(file("key-1", "batch", T0), random(2 * MIB + 1));
        StoredFile underWay = create(file("key-1", "batch", T0), random(10));
        // Chunks without their file row: what a crash before the row was inserted leaves behind.
        Sql.execute(url, "DELETE FROM files WHERE id IN ('" + crashed.id() + "', '" + underWay.id() + "')");
        Sql.execute(url, "UPDATE file_chunks SET written_at = " + T0.toEpochMilli() + " WHERE file_id <> '" + underWay.id() + "'");
        Sql.execute(url, "UPDATE file_chunks SET written_at = " + T0.plusSeconds(7200).toEpochMilli() + " WHERE file_id = '" + underWay.id() + "'");

        StepVerifier.create(files.eraseOrphanUploads(T0.plusSeconds(3600))).expectNext(1L).expectComplete().verify(TIMEOUT);

        assertThat(chunks(crashed.id())).isZero();
        assertThat(chunks(underWay.id())).as("written lately: an upload still under way").isOne();
        assertThat(chunks(complete.id())).as("its row is there").isOne();
        assertThat(read(complete.id())).hasSize(10);
    }

    @Test
    void purgeDeletedRemovesTheRowsOfFilesDeletedBeforeTheCutoff() {
        StoredFile old = create(file("key-1", "batch", T0), random(10));
        StoredFile recent = create(file("key-1", "batch", T0), random(10));
        files.delete(old.id(), T0).block(TIMEOUT);
        files.delete(recent.id(), T0.plusSeconds(7200)).block(TIMEOUT);

        StepVerifier.create(files.purgeDeleted(T0.plusSeconds(3600))).expectNext(1L).expectComplete().verify(TIMEOUT);

        StepVerifier.create(files.findById(old.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.findById(recent.id())).expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    @Test
    void eraseRemovesAFileWholeAndIsANoOpForAnUnknownId() {
        StoredFile file = create(file("key-1", "batch", T0), random(MIB + 1));

        StepVerifier.create(files.erase(file.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(files.erase("file-000000000000000000000000")).expectComplete().verify(TIMEOUT);

        assertThat(chunks(file.id())).isZero();
        StepVerifier.create(files.findById(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void contentIsReadAsTheSubscriberAsks() {
        StoredFile file = create(file(null, "batch", T0), random(3 * MIB + MIB / 2));

        StepVerifier.create(files.content(file.id()), 1)
                .assertNext(chunk -> assertThat(chunk).hasSize(MIB))
                .expectNoEvent(Duration.ofMillis(200))
                .thenRequest(2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(1)
                .assertNext(chunk -> assertThat(chunk).hasSize(MIB / 2))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void contentOfAnUnknownFileIsEmpty() {
        StepVerifier.create(files.content("file-000000000000000000000000")).expectComplete().verify(TIMEOUT);
    }
}
