package dev.sluice.core.batches;

import java.util.Locale;

/** Where a batch is in its life: {@code validating → in_progress → finalizing → completed}, or failed, expired, cancelled. */
public enum BatchStatus {
    VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

    /** The name on the wire: {@code in_progress}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Whether the batch is done and will never change again. */
    public boolean isFinal() {
        return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
    }
}
