package dev.sluice.server.config;

/**
 * The {@code files:} section.
 *
 * @param maxBytes the largest file an upload may be, {@code > 0}; larger uploads get 413
 */
public record FilesSettings(long maxBytes) {

    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    public FilesSettings {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("files.max_bytes: " + maxBytes + " (expected: > 0)");
        }
    }

    public static FilesSettings defaults() {
        return new FilesSettings(DEFAULT_MAX_BYTES);
    }
}
