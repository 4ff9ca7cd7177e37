package dev.sluice.core.keys;

/** A virtual key with that name or value already exists. */
public final class DuplicateKeyException extends RuntimeException {

    public DuplicateKeyException(String message) {
        super(message, null, false, false);
    }
}
