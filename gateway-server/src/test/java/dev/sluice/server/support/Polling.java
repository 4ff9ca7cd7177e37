package dev.sluice.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits, in a test thread, for something the gateway does in the background. */
public final class Polling {

    private Polling() {
    }

    /** Calls {@code attempt} every 20 ms until {@code done} accepts its result, for at most {@code limit}. */
    public static <T> T until(Supplier<T> attempt, Predicate<T> done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = attempt.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not done after " + limit + "; last seen: " + last);
            }
            sleep();
            last = attempt.get();
        }
        return last;
    }

    public static void until(BooleanSupplier done, Duration limit) {
        until(done::getAsBoolean, Boolean::booleanValue, limit);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
