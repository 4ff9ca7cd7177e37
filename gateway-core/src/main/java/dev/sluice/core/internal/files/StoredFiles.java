package dev.sluice.core.internal.files;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FilePage;
import dev.sluice.core.files.FilePurpose;
import dev.sluice.core.files.FileReaders;
import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.FileService;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.ids.FileIds;
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
 * The Files API over a {@link FileRepository}, with the callers' keys checked by the {@link Governor}: files belong to
 * the key that uploaded them, as {@link FileService} says.
 */
public final class StoredFiles implements FileService {

    static final int MAX_FILENAME_LENGTH = 1024;

    /** How long an upload may write nothing before its chunks, with no file row, count as a crash's leftovers. */
    static final Duration ORPHAN_UPLOAD_AGE = Duration.ofHours(1);

    /** How long the row of a deleted file stays (its content goes at once), for readers that found it just before. */
    static final Duration DELETED_ROW_RETENTION = Duration.ofHours(1);

    private final FileRepository files;
    private final Governor governor;
    private final Clock clock;
    private final long maxBytes;
    private final FileReaders readers;

    /** A service whose files nothing reads but their downloads. */
    public StoredFiles(FileRepository files, Governor governor, Clock clock, long maxBytes) {
        this(files, governor, clock, maxBytes, FileReaders.NONE);
    }

    /**
     * @param maxBytes the largest content a caller may upload ({@code files.max_bytes}); files the gateway writes
     *                 itself are not held to it
     * @param readers  what may still read a file, which may then not be deleted
     */
    public StoredFiles(FileRepository files, Governor governor, Clock clock, long maxBytes, FileReaders readers) {
        this.files = Objects.requireNonNull(files, "files");
        this.governor = Objects.requireNonNull(governor, "governor");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("files.max_bytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        this.readers = Objects.requireNonNull(readers, "readers");
    }

    /** The largest content accepted. */
    @Override
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
    @Override
    public Mono<StoredFile> upload(Caller caller, String filename, String purpose, Duration expiresAfter, Flux<byte[]> content) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(content, "content");
        return Mono.defer(() -> {
            FilePurpose validPurpose = FilePurpose.of(purpose);
            checkFilename(filename);
            checkExpiresAfter(expiresAfter);
            return governor.identify(caller)
                    .flatMap(admission -> files.create(pending(FileIds.next(), admission.ownerId(), filename, validPurpose,
                            expiresAfter), content, maxBytes));
        });
    }

    /**
     * Stores a file of the gateway's own making (a batch's output or error file) as {@code id}, for the key
     * {@code ownerKeyId} ({@code null}: the files created without a key), with no caller to check and no size limit:
     * the caller's upload limit bounds what they send, not what the gateway writes for them. A file of that id already
     * there (an earlier attempt's, cut short or not) is replaced, so that writing again never leaves two.
     *
     * @param id           the file's id, e.g. {@link FileIds#derived}
     * @param expiresAfter any positive lifetime, or {@code null} for the purpose's default
     */
    @Override
    public Mono<StoredFile> write(String id, String ownerKeyId, String filename, String purpose, Duration expiresAfter,
                                  Flux<byte[]> content) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        return Mono.defer(() -> {
            FilePurpose validPurpose = FilePurpose.of(purpose);
            checkFilename(filename);
            if (expiresAfter != null && !expiresAfter.isPositive()) {
                throw new IllegalArgumentException("expires_after: " + expiresAfter + " (expected: > 0)");
            }
            return files.erase(id)
                    .then(files.create(pending(id, ownerKeyId, filename, validPurpose, expiresAfter), content, Long.MAX_VALUE));
        });
    }

    private StoredFile pending(String id, String ownerKeyId, String filename, FilePurpose purpose, Duration expiresAfter) {
        Instant now = clock.instant();
        Duration lifetime = expiresAfter != null ? expiresAfter : purpose.defaultExpiry().orElse(null);
        return new StoredFile(id, ownerKeyId, purpose.wire(), filename, 0, now, lifetime == null ? null : now.plus(lifetime), null);
    }

    /** Whether the file {@code id} is there and not deleted, whoever owns it and whether or not it expired. */
    @Override
    public Mono<Boolean> exists(String id) {
        return files.findById(id).map(file -> file.deletedAt() == null).defaultIfEmpty(false);
    }

    /** The file, if this caller may see it: empty when there is none, or it is deleted, expired or someone else's. */
    @Override
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
    @Override
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
    @Override
    public Flux<byte[]> content(StoredFile file) {
        return files.content(file.id());
    }

    /** The content of the file {@code id}, whoever owns it: for the gateway's own use (a batch reading its input). */
    @Override
    public Flux<byte[]> content(String id) {
        return files.content(id);
    }

    /**
     * Deletes the file if this caller may see it, and emits it as it was; empty as for {@link #get}; 409 while
     * something still reads it (a batch not finished reads its input file).
     */
    @Override
    public Mono<StoredFile> delete(String id, Caller caller) {
        return get(id, caller).flatMap(file -> readers.readsFile(file.id()).flatMap(read -> read
                ? Mono.error(new GatewayException(409, "invalid_request_error", "file_in_use", null, "File " + file.id()
                        + " is the input of a batch that has not finished; cancel the batch or wait for it to end before deleting the file."))
                : files.delete(file.id(), clock.instant())
                        .filter(Boolean::booleanValue)
                        .map(deleted -> file)));
    }

    /**
     * Deletes every expired file (but those a running batch reads), the content of uploads a crash cut short, and
     * the rows of files deleted a while ago; emits how many files it deleted or erased.
     */
    @Override
    public Mono<Long> sweepExpired() {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return files.deleteExpired(now)
                    .concatWith(files.eraseOrphanUploads(now.minus(ORPHAN_UPLOAD_AGE)))
                    .concatWith(files.purgeDeleted(now.minus(DELETED_ROW_RETENTION)).thenReturn(0L))
                    .reduce(0L, Long::sum);
        });
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
