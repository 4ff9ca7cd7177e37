package dev.sluice.core.internal.lease;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells the faults that trying again may cure (a connection lost, a time-out, a database briefly away) from those
 * it never will (a value the store cannot hold, a file gone, a bug): leased work retries only the former, after its
 * lease lapses; the latter end the job, line or batch at once with a message the caller can read.
 */
public final class Faults {

    /** Causes looked at below the error itself: wrappers such as Reactor's hold the real fault a level or two down. */
    private static final int MAX_DEPTH = 8;

    private Faults() {
    }

    public static boolean isTransient(Throwable error) {
        Throwable current = error;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++, current = current.getCause()) {
            if (current instanceof R2dbcTransientException
                    // A connection closed under a statement is the resource's fault, not the statement's.
                    || current instanceof R2dbcNonTransientResourceException
                    || current instanceof IOException
                    || current instanceof TimeoutException) {
                return true;
            }
            if (current instanceof R2dbcException) {
                // Bad grammar, a constraint, a value out of range: the same statement fails the same way again.
                return false;
            }
        }
        return false;
    }
}
