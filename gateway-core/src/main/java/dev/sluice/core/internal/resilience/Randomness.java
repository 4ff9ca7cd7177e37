package dev.sluice.core.internal.resilience;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** The randomness of backoff jitter and key choice when none is passed in. */
public final class Randomness {

    private Randomness() {
    }

    /**
     * Each thread's own {@link ThreadLocalRandom}, looked up per draw: never contended, never blocking, and no secret
     * is drawn from it, so {@code SecureRandom} would buy nothing.
     */
    public static RandomGenerator threadLocal() {
        return () -> ThreadLocalRandom.current().nextLong();
    }
}
