package dev.sluice.core.files;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.request.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Files API as callers see it, for the HTTP routes and the batch engine: upload, find, list, read and delete
 * files. A file belongs to the virtual key that uploaded it and a file uploaded without a key to callers without
 * one; to anyone else, and once deleted or expired, it does not exist.
 *
 * <p>A caller that presents a key the gateway does not know, or may not use, is refused (401/403) as on inference,
 * rather than treated as a caller without a key, who would then see the files uploaded without one.
 */
public final class FileService {

    /** The shortest lifetime an uploader may ask for. */
    public static final Duration MIN_EXPIRES_AFTER = Duration.ofHours(1);

    /** The longest lifetime an uploader may ask for. */
    public static final Duration MAX_EXPIRES_AFTER = Duration.ofDays(30);

    /** The most files one listing page may hold. */
    public static final int MAX_LIST_LIMIT = 10_000;

    static final int MAX_FILENAME_LENGTH = 1024;

    private final FileRepository files;
    private final Governor governor;
    private final Clock clock;
    private final long maxBytes;

    /** @param maxBytes the largest content accepted ({@code files.max_bytes}) */
    public FileService(FileRepository files, Governor governor, Clock clock, long maxBytes) {
        this.files = Objects.requireNonNull(files, "files");
        this.governor = Objects.requireNonNull(governor, "governor");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("files.max_bytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
    }

    /** The largest content accepted. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Stores {@code content} as a file of the caller's, after refusing with 400 an unknown purpose, a blank filename
     * or a lifetime out of bounds; 401/403 for a key that cannot be used, 413 for content over the limit.
     *
     * @param expiresAfter how long after upload the file expires, 1 hour to 30 days; {@code null} for the purpose's
     *                     default (30 days for {@code batch}, else never)
     */
    public Mono<StoredFile> upload(Caller caller, String filename, String purpose, Duration expiresAfter, Flux<byte[]> content) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(content, "content");
        return Mono.defer(() -> {
            FilePurpose validPurpose = FilePurpose.of(purpose);
            checkFilename(filename);
            checkExpiresAfter(expiresAfter);
            return governor.identify(caller)
                    .flatMap(admission -> store(admission.ownerId(), filename, validPurpose, expiresAfter, content));
        });
    }

    /**
     * Stores a file of the gateway's own making (a batch's output or error file) for the key {@code ownerKeyId}
     * ({@code null}: the files created without a key), with no caller to check.
     *
     * @param expiresAfter any positive lifetime, or {@code null} for the purpose's default
     */
    public Mono<StoredFile> write(String ownerKeyId, String filename, String purpose, Duration expiresAfter, Flux<byte[]> content) {
        Objects.requireNonNull(content, "content");
        return Mono.defer(() -> {
            FilePurpose validPurpose = FilePurpose.of(purpose);
            checkFilename(filename);
            if (expiresAfter != null && !expiresAfter.isPositive()) {
                throw new IllegalArgumentException("expires_after: " + expiresAfter + " (expected: > 0)");
            }
            return store(ownerKeyId, filename, validPurpose, expiresAfter, content);
        });
    }

    private Mono<StoredFile> store(String ownerKeyId, String filename, FilePurpose purpose, Duration expiresAfter,
                                   Flux<byte[]> content) {
        Instant now = clock.instant();
        Duration lifetime = expiresAfter != null ? expiresAfter : purpose.defaultExpiry();
        StoredFile file = StoredFile.pending(ownerKeyId, purpose.wire(), filename, now, lifetime == null ? null : now.plus(lifetime));
        return files.create(file, content, maxBytes);
    }

    /** The file, if this caller may see it: empty when there is none, or it is deleted, expired or someone else's. */
    public Mono<StoredFile> get(String id, Caller caller) {
        Objects.requireNonNull(caller, "caller");
        if (id == null) {
            return Mono.empty();
        }
        return ownerOf(caller).flatMap(owner -> files.findById(id)
                .filter(file -> Objects.equals(file.ownerKeyId(), owner.key()) && !file.goneAt(clock.instant())));
    }

    /**
     * One page of the caller's files, ordered by creation time, newest first unless {@code ascending}.
     *
     * @param purpose only files of this purpose, or {@code null} for all
     * @param limit   1 to 10000
     * @param after   the id of the last file of the previous page, or {@code null}
     */
    public Mono<FilePage> list(Caller caller, String purpose, int limit, String after, boolean ascending) {
        Objects.requireNonNull(caller, "caller");
        return Mono.defer(() -> {
            if (limit < 1 || limit > MAX_LIST_LIMIT) {
                throw new InvalidRequestException("limit: " + limit + " (expected: 1 to " + MAX_LIST_LIMIT + ")", "limit");
            }
            String validPurpose = purpose == null ? null : FilePurpose.of(purpose).wire();
            return ownerOf(caller).flatMap(owner -> fill(owner.key(), validPurpose, after, ascending, limit + 1, new ArrayList<>()))
                    .map(found -> new FilePage(found.subList(0, Math.min(limit, found.size())), found.size() > limit));
        });
    }

    /**
     * Collects up to {@code wanted} unexpired files. Files that expired but were not swept yet are still listed by
     * the repository; when they were skipped and the repository has more, read on after the last one read.
     */
    private Mono<List<StoredFile>> fill(String owner, String purpose, String after, boolean ascending, int wanted,
                                        List<StoredFile> found) {
        return files.list(owner, purpose, after, ascending, wanted).collectList().flatMap(read -> {
            Instant now = clock.instant();
            for (StoredFile file : read) {
                if (found.size() < wanted && !file.goneAt(now)) {
                    found.add(file);
                }
            }
            if (found.size() >= wanted || read.size() < wanted) {
                return Mono.just(found);
            }
            return fill(owner, purpose, read.getLast().id(), ascending, wanted, found);
        });
    }

    /** The file's content, chunk by chunk; for a file this caller may see, as found by {@link #get}. */
    public Flux<byte[]> content(StoredFile file) {
        return files.content(file.id());
    }

    /** The content of the file {@code id}, whoever owns it: for the gateway's own use (a batch reading its input). */
    public Flux<byte[]> content(String id) {
        return files.content(id);
    }

    /** Deletes the file if this caller may see it, and emits it as it was; empty as for {@link #get}. */
    public Mono<StoredFile> delete(String id, Caller caller) {
        return get(id, caller).flatMap(file -> files.delete(file.id(), clock.instant())
                .filter(Boolean::booleanValue)
                .map(deleted -> file));
    }

    /** Deletes every expired file; emits how many. */
    public Mono<Long> sweepExpired() {
        return Mono.defer(() -> files.deleteExpired(clock.instant()));
    }

    /** The key a caller's files belong to; refused as on inference when the caller's key cannot be used. */
    private Mono<Owner> ownerOf(Caller caller) {
        return governor.identify(caller).map(admission -> new Owner(admission.ownerId()));
    }

    /** The owning key's id, {@code null} for a caller without a key (a Mono cannot carry a null). */
    private record Owner(String key) {
    }

    private static void checkFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            String shown = filename == null ? "null" : "\"" + filename + "\"";
            throw new InvalidRequestException("filename: " + shown + " (expected: a non-blank name)", "file");
        }
        if (filename.length() > MAX_FILENAME_LENGTH) {
            throw new InvalidRequestException("filename: " + filename.length() + " characters (expected: at most "
                    + MAX_FILENAME_LENGTH + ")", "file");
        }
        if (filename.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("filename: contains control characters (expected: none)", "file");
        }
    }

    private static void checkExpiresAfter(Duration expiresAfter) {
        if (expiresAfter != null
                && (expiresAfter.compareTo(MIN_EXPIRES_AFTER) < 0 || expiresAfter.compareTo(MAX_EXPIRES_AFTER) > 0)) {
            throw new InvalidRequestException("expires_after: " + expiresAfter.toSeconds() + " seconds (expected: between "
                    + MIN_EXPIRES_AFTER.toSeconds() + " and " + MAX_EXPIRES_AFTER.toSeconds() + " seconds)", "expires_after");
        }
    }
}
