package dev.sluice.core.internal.resilience;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The health of one provider key: closed (in rotation), open (skipped until a time), or half-open (one probe call
 * is under way; the others still skip the key). Lock-free, since every event loop may report on it at once.
 */
final class KeyCircuit {

    private enum Phase { CLOSED, OPEN, HALF_OPEN }

    private record State(Phase phase, int failures, long openUntilNanos) {
        static final State CLOSED = new State(Phase.CLOSED, 0, 0);
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);

    /** Whether a call could use the key now, without claiming it: closed, or open with its time up. */
    boolean available(long nowNanos) {
        State current = state.get();
        return switch (current.phase) {
            case CLOSED -> true;
            case OPEN -> nowNanos - current.openUntilNanos >= 0;
            case HALF_OPEN -> false;
        };
    }

    /** How long until the key may be probed: zero unless it is open. */
    long nanosUntilAvailable(long nowNanos) {
        State current = state.get();
        return current.phase == Phase.OPEN ? Math.max(0, current.openUntilNanos - nowNanos) : 0;
    }

    /** Claims the key for one call; a key whose open time is up is claimed as its one probe. */
    boolean tryAcquire(long nowNanos) {
        while (true) {
            State current = state.get();
            switch (current.phase) {
                case CLOSED -> {
                    return true;
                }
                case HALF_OPEN -> {
                    return false;
                }
                case OPEN -> {
                    if (nowNanos - current.openUntilNanos < 0) {
                        return false;
                    }
                    if (state.compareAndSet(current, new State(Phase.HALF_OPEN, current.failures, current.openUntilNanos))) {
                        return true;
                    }
                }
            }
        }
    }

    /** The key answered (even a 4xx about the request shows it works): back in rotation. */
    void succeeded() {
        state.set(State.CLOSED);
    }

    /**
     * The key failed; returns whether this opened its circuit (it was closed or probing before).
     *
     * @param openForNanos how long it is skipped when the failure opens it
     */
    boolean failed(long nowNanos, int threshold, long openForNanos) {
        while (true) {
            State current = state.get();
            int failures = current.failures + 1;
            boolean opens = current.phase == Phase.HALF_OPEN || current.phase == Phase.CLOSED && failures >= threshold;
            State next = opens ? new State(Phase.OPEN, failures, nowNanos + openForNanos)
                    : new State(current.phase, failures, current.openUntilNanos);
            if (state.compareAndSet(current, next)) {
                return opens;
            }
        }
    }

    /** Takes the key out of rotation at once (the provider refused it); returns whether it was in rotation. */
    boolean open(long nowNanos, long openForNanos) {
        State before = state.getAndSet(new State(Phase.OPEN, 0, nowNanos + openForNanos));
        return before.phase != Phase.OPEN;
    }

    /** A probe ended without telling anything (the caller left): let the next call probe again. */
    void abandoned(long nowNanos) {
        state.updateAndGet(current -> current.phase == Phase.HALF_OPEN ? new State(Phase.OPEN, current.failures, nowNanos) : current);
    }
}
