package dev.sluice.core.internal.ids;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Unguessable identifiers and secrets (job ids, key values), drawn from one DRBG. The DRBG is seeded once,
 * when this class is first used ({@link #warmUp()} does that off the event loops at start-up), so that
 * later draws never read the operating system's entropy source, which may block; {@link UUID#randomUUID()}
 * and the default {@code NativePRNG} read it on every draw.
 */
public final class SecureIds {

    private static final SecureRandom RANDOM = seeded();

    private SecureIds() {
    }

    /** Seeds the generator now, so that the first real draw does not do it on an event loop. */
    public static void warmUp() {
        RANDOM.nextInt();
    }

    /** A random version 4 UUID in its canonical text form. */
    public static String uuid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        high = (high & ~0xF000L) | 0x4000L;
        low = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** {@code bytes} random bytes as lowercase hex. */
    public static String hex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    private static SecureRandom seeded() {
        try {
            SecureRandom drbg = SecureRandom.getInstance("DRBG");
            drbg.nextBytes(new byte[16]);
            return drbg;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK since 9 has DRBG", e);
        }
    }
}
