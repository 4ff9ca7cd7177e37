package dev.sluice.core.internal.ids;

/**
 * Job ids: random version 4 UUIDs. They must be unguessable, since the id alone finds a job submitted
 * without a virtual key.
 */
public final class JobIds {

    private JobIds() {
    }

    /** A new random id, in the canonical UUID text form with the version 4 and IETF variant bits set. */
    public static String next() {
        return SecureIds.uuid();
    }
}
