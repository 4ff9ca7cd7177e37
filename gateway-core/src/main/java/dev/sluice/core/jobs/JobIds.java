package dev.sluice.core.jobs;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version 4 UUIDs for job ids, drawn from {@link ThreadLocalRandom} because {@link UUID#randomUUID()} reads
 * the operating system's entropy source, which may block an event loop.
 */
public final class JobIds {

    private JobIds() {
    }

    /** A new random id, in the canonical UUID text form with the version 4 and IETF variant bits set. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
