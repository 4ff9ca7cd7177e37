package dev.sluice.core.internal.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /**
     * The id of a file the gateway writes for {@code owner} (a batch's output), the same each time: writing it again
     * after a crash replaces the first attempt's file instead of leaving a second one. Unguessable as long as the
     * owner's id is (a batch id is random).
     */
    public static String derived(String owner, String kind) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((owner + "\n" + kind).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
