package dev.sluice.core.files;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * Files and their content, kept as numbered chunks so that neither an upload nor a download ever holds a whole
 * file in memory. Knows nothing of callers: {@link FileService} decides who may see what.
 */
public interface FileRepository {

    /** The size of the chunks content is stored in. */
    int CHUNK_BYTES = 1024 * 1024;

    /**
     * Writes {@code content} and then the file, with {@code bytes} set to the size written. The file is found by
     * {@link #findById} and {@link #list} only once all its content is written. When the content goes past
     * {@code maxBytes}, the upload stops and fails with {@link FileTooLargeException}; an upload that fails or is
     * cancelled leaves nothing behind.
     *
     * @param file its {@code bytes} is ignored
     */
    Mono<StoredFile> create(StoredFile file, Flux<byte[]> content, long maxBytes);

    /** The file, also when deleted (then with {@code deletedAt}); empty when there is none or its upload is not complete. */
    Mono<StoredFile> findById(String id);

    /**
     * Files of exactly this owner that are not deleted, ordered by creation time then id, newest first unless
     * {@code ascending}.
     *
     * @param ownerKeyId the owning key's id; {@code null} lists the files created without a key
     * @param purpose    only files of this purpose, or {@code null} for all
     * @param afterId    continue after this file in the same order, or {@code null} to start at the beginning
     */
    Flux<StoredFile> list(String ownerKeyId, String purpose, String afterId, boolean ascending, int limit);

    /** The file's content, chunk by chunk in order, each read only when asked for; empty once deleted. */
    Flux<byte[]> content(String id);

    /** Erases the content and marks the file deleted; false when there was no such file, or it was deleted already. */
    Mono<Boolean> delete(String id, Instant now);

    /**
     * Deletes, as {@link #delete}, every file expired at {@code now} that no batch still running reads as its input
     * (that one goes once the batch ends); emits how many.
     */
    Mono<Long> deleteExpired(Instant now);

    /** Removes every trace of the file {@code id}, deleted or not: its content and its row. Nothing when there is none. */
    Mono<Void> erase(String id);

    /**
     * Erases the content of uploads that never completed (a crash cut them short) and wrote nothing since
     * {@code writtenBefore}; emits how many uploads.
     */
    Mono<Long> eraseOrphanUploads(Instant writtenBefore);

    /** Removes the rows of files deleted before {@code deletedBefore}; emits how many. */
    Mono<Long> purgeDeleted(Instant deletedBefore);
}
