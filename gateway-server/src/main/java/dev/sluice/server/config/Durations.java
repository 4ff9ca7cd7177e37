package dev.sluice.server.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Reads durations written as a number of seconds or milliseconds, decimals allowed, as every section writes them. */
final class Durations {

    private Durations() {
    }

    /**
     * A number of seconds, or empty when the key is absent.
     *
     * @param zeroAllowed whether 0 is a valid value (a grace period may be none; a timeout may not)
     */
    static Optional<Duration> seconds(ConfigNode node, String key, boolean zeroAllowed) {
        return of(node, key, zeroAllowed, 9, "seconds");
    }

    /** A number of milliseconds (0 allowed), or empty when the key is absent. */
    static Optional<Duration> millis(ConfigNode node, String key) {
        return of(node, key, true, 6, "milliseconds");
    }

    private static Optional<Duration> of(ConfigNode node, String key, boolean zeroAllowed, int toNanos, String unit) {
        BigDecimal amount = node.decimal(key).orElse(null);
        if (amount == null) {
            return Optional.empty();
        }
        if (amount.signum() < 0 || !zeroAllowed && amount.signum() == 0) {
            throw node.problem(key, amount.toPlainString() + (zeroAllowed ? " (expected: >= 0)" : " (expected: > 0)"));
        }
        try {
            return Optional.of(Duration.ofNanos(amount.movePointRight(toNanos).longValueExact()));
        } catch (ArithmeticException e) {
            // Too large or finer than a nanosecond: neither is a duration anybody means.
            throw node.problem(key, amount.toPlainString() + " (expected: a number of " + unit + " with at most " + toNanos
                    + " decimals, below " + (toNanos == 9 ? "9e9" : "9e12") + ")");
        }
    }
}
