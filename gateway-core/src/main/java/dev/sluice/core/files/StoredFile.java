package dev.sluice.core.files;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * A file as the Files API knows it: who owns it, what it is for, its size and its lifetime. Its content is kept
 * apart, as chunks read with {@link FileRepository#content(String)}.
 *
 * @param id         {@code file-} and 24 random hex characters
 * @param ownerKeyId the id of the virtual key that created it, or {@code null} when it was created without a key
 * @param purpose    one of {@link FilePurpose}'s wire names
 * @param filename   the name it was uploaded with
 * @param bytes      the size of its content
 * @param createdAt  when its upload completed
 * @param expiresAt  when it expires, or {@code null} for never
 * @param deletedAt  when it was deleted, or {@code null}
 */
public record StoredFile(
        String id,
        @Nullable String ownerKeyId,
        String purpose,
        String filename,
        long bytes,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant deletedAt) {

    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(createdAt, "createdAt");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }

    /** A file about to be uploaded as {@code id}: its size is known once its content has been written. */
    public static StoredFile pending(String id, @Nullable String ownerKeyId, String purpose, String filename, Instant createdAt,
            @Nullable Instant expiresAt) {
        return new StoredFile(id, ownerKeyId, purpose, filename, 0, createdAt, expiresAt, null);
    }

    /** This file with its content's size. */
    public StoredFile withBytes(long size) {
        return new StoredFile(id, ownerKeyId, purpose, filename, size, createdAt, expiresAt, deletedAt);
    }

    /** Whether it is deleted or expired at {@code now}. */
    public boolean goneAt(Instant now) {
        return deletedAt != null || (expiresAt != null && !now.isBefore(expiresAt));
    }
}
