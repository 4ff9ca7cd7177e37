package dev.sluice.core.internal.governance;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The spend this instance has promised but not yet written: per key, what admitted requests in flight hold
 * ({@code reserved}), and a running total of what finished requests wrote to the store ({@code settled}).
 * <p>
 * A request is admitted only while the stored spend, plus what settled here since that spend was read, plus what is
 * reserved, plus its own estimate stays within the budget. Counting what settled since the read closes the window in
 * which a finished request's cost is neither in the spend just read nor reserved any more; a cost both read and
 * counted only makes the check stricter. Reservations live in memory: instances sharing a store see each other's
 * spend once written, not each other's reservations.
 */
final class BudgetLedger {

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    /** What settled here so far for the key: taken before reading the stored spend, then given to {@link #reserve}. */
    long settledSoFar(String keyId) {
        return account(keyId).settled();
    }

    /**
     * Holds {@code estimateMicros} of the key's budget, or refuses.
     *
     * @param storedSpend     the period's spend as read from the store
     * @param settledBefore   {@link #settledSoFar} taken before that read
     * @return the reservation, or {@code null} when the budget cannot hold it
     */
    @Nullable Reservation reserve(String keyId, long storedSpend, long settledBefore, long estimateMicros, long maxMicros) {
        Account account = account(keyId);
        return account.tryReserve(storedSpend, settledBefore, estimateMicros, maxMicros)
                ? new Reservation(account, keyId, estimateMicros) : null;
    }

    private Account account(String keyId) {
        return accounts.computeIfAbsent(keyId, id -> new Account());
    }

    /** One key's reserved and settled micro-dollars; a few field updates under its own lock, never a wait on I/O. */
    static final class Account {
        private long reserved;
        private long settled;

        synchronized long settled() {
            return settled;
        }

        synchronized boolean tryReserve(long storedSpend, long settledBefore, long estimateMicros, long maxMicros) {
            long committed = storedSpend + (settled - settledBefore) + reserved;
            // "At or over" refuses even a free request, as a spent budget always did.
            if (committed >= maxMicros || committed + estimateMicros > maxMicros) {
                return false;
            }
            reserved += estimateMicros;
            return true;
        }

        synchronized void end(long reservedMicros, long settledMicros) {
            reserved -= reservedMicros;
            settled += settledMicros;
        }

        synchronized long reserved() {
            return reserved;
        }
    }
}
