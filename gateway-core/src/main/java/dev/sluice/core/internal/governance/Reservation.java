package dev.sluice.core.internal.governance;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of a key's budget held for one admitted request until its cost is known. Ends once: settled with the
 * real cost, or released when the request was not answered.
 */
public final class Reservation {

    /** What a request against a key without a budget (or an anonymous one) holds. */
    static final Reservation NONE = new Reservation(null, null, 0);

    private final BudgetLedger.@Nullable Account account;
    private final @Nullable String keyId;
    private final long micros;
    private final AtomicBoolean ended = new AtomicBoolean();

    Reservation(BudgetLedger.@Nullable Account account, @Nullable String keyId, long micros) {
        this.account = account;
        this.keyId = keyId;
        this.micros = micros;
    }

    /** Ends the reservation, counting {@code costMicros} as settled; false when it had ended already. */
    boolean end(long costMicros) {
        if (account == null || !ended.compareAndSet(false, true)) {
            return false;
        }
        account.end(micros, costMicros);
        return true;
    }

    /** The micro-dollars held, for tests and logs. */
    long micros() {
        return micros;
    }

    @Nullable String keyId() {
        return keyId;
    }
}
