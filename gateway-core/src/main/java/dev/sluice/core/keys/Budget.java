package dev.sluice.core.keys;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * How much a virtual key may spend.
 *
 * @param maxUsd the most it may spend in one period, {@code >= 0}
 * @param reset  when the spend starts again at zero; {@code null} means never
 */
public record Budget(double maxUsd, @Nullable ResetPeriod reset) {

    public Budget {
        if (!(maxUsd >= 0) || Double.isInfinite(maxUsd)) {
            throw new IllegalArgumentException("budget.max_usd: " + maxUsd + " (expected: a number >= 0)");
        }
    }

    /** Spend is kept in micro-dollars so that concurrent additions are exact integer sums. */
    public long maxMicros() {
        return Math.round(maxUsd * 1_000_000);
    }

    /** The start of the accounting period containing {@code now}; the epoch for a budget that never resets. */
    public Instant periodStart(Instant now) {
        return reset == null ? Instant.EPOCH : reset.start(now);
    }
}
