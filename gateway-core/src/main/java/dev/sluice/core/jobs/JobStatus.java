package dev.sluice.core.jobs;

import java.util.Locale;

/** Where an asynchronous job is in its life: waiting, running, or finished one of three ways. */
public enum JobStatus {

    /** Submitted and waiting for an instance to claim it. */
    PENDING,

    /** Claimed by an instance that holds its lease and is running it. */
    PROCESSING,

    /** Finished with the provider's answer. */
    COMPLETED,

    /** Finished with an error. */
    FAILED,

    /** Cancelled before it finished. */
    CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The lowercase name used on the wire and in the database: {@code pending}, {@code processing}, ... */
    public String wire() {
        return wire;
    }

    /** Whether the job is over: completed, failed or cancelled. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The status of a {@link #wire()} name. */
    public static JobStatus fromWire(String wire) {
        for (JobStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("job status: " + wire
                + " (expected: pending, processing, completed, failed or cancelled)");
    }
}
