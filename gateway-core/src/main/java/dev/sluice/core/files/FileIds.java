package dev.sluice.core.files;

import dev.sluice.core.internal.ids.SecureIds;

/**
 * File ids: {@code file-} and 24 random hex characters. They must be unguessable, since the id alone finds a file
 * created without a virtual key.
 */
public final class FileIds {

    static final String PREFIX = "file-";

    private FileIds() {
    }

    /** A new random id. */
    public static String next() {
        return PREFIX + SecureIds.hex(12);
    }
}
