package dev.sluice.core.files;

import dev.sluice.core.request.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The Files API as callers see it, for the HTTP routes and the batch engine: upload, find, list, read and delete
 * files. A file belongs to the virtual key that uploaded it and a file uploaded without a key to callers without
 * one; to anyone else, and once deleted or expired, it does not exist.
 *
 * <p>A caller that presents a key the gateway does not know, or may not use, is refused (401/403) as on inference,
 * rather than treated as a caller without a key, who would then see the files uploaded without one.
 */
public interface FileService {

    /** The shortest lifetime an uploader may ask for. */
    Duration MIN_EXPIRES_AFTER = Duration.ofHours(1);

    /** The longest lifetime an uploader may ask for. */
    Duration MAX_EXPIRES_AFTER = Duration.ofDays(30);

    /** The most files one listing page may hold. */
    int MAX_LIST_LIMIT = 10_000;

    /** The largest content accepted. */
    long maxBytes();

    /**
     * Stores {@code content} as a file of the caller's, after refusing with 400 an unknown purpose, a blank filename
     * or a lifetime out of bounds; 401/403 for a key that cannot be used, 413 for content over the limit.
     *
     * @param expiresAfter how long after upload the file expires, 1 hour to 30 days; {@code null} for the purpose's
     *                     default (30 days for {@code batch}, else never)
     */
    Mono<StoredFile> upload(Caller caller, String filename, String purpose, Duration expiresAfter, Flux<byte[]> content);

    /**
     * Stores a file of the gateway's own making (a batch's output or error file) as {@code id}, for the key
     * {@code ownerKeyId} ({@code null}: the files created without a key), with no caller to check and no size limit:
     * the caller's upload limit bounds what they send, not what the gateway writes for them. A file of that id already
     * there (an earlier attempt's, cut short or not) is replaced, so that writing again never leaves two.
     *
     * @param id           the file's id ({@code file-} and an unguessable rest)
     * @param expiresAfter any positive lifetime, or {@code null} for the purpose's default
     */
    Mono<StoredFile> write(String id, String ownerKeyId, String filename, String purpose, Duration expiresAfter,
                           Flux<byte[]> content);

    /** Whether the file {@code id} is there and not deleted, whoever owns it and whether or not it expired. */
    Mono<Boolean> exists(String id);

    /** The file, if this caller may see it: empty when there is none, or it is deleted, expired or someone else's. */
    Mono<StoredFile> get(String id, Caller caller);

    /**
     * One page of the caller's files, ordered by creation time, newest first unless {@code ascending}.
     *
     * @param purpose only files of this purpose, or {@code null} for all
     * @param limit   1 to 10000
     * @param after   the id of the last file of the previous page, or {@code null}
     */
    Mono<FilePage> list(Caller caller, String purpose, int limit, String after, boolean ascending);

    /** The file's content, chunk by chunk; for a file this caller may see, as found by {@link #get}. */
    Flux<byte[]> content(StoredFile file);

    /** The content of the file {@code id}, whoever owns it: for the gateway's own use (a batch reading its input). */
    Flux<byte[]> content(String id);

    /**
     * Deletes the file if this caller may see it, and emits it as it was; empty as for {@link #get}; 409 while
     * something still reads it (a batch not finished reads its input file).
     */
    Mono<StoredFile> delete(String id, Caller caller);

    /**
     * Deletes every expired file (but those a running batch reads), the content of uploads a crash cut short, and
     * the rows of files deleted a while ago; emits how many files it deleted or erased.
     */
    Mono<Long> sweepExpired();
}
