package dev.sluice.core.keys;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** How often a budget starts again, written {@code 1m 1h 1d 1w 1M}; periods are aligned in UTC. */
public enum ResetPeriod {
    MINUTE("1m"), HOUR("1h"), DAY("1d"), WEEK("1w"), MONTH("1M");

    private final String code;

    ResetPeriod(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted codes
     */
    public static ResetPeriod parse(String code) {
        for (ResetPeriod period : values()) {
            if (period.code.equals(code)) {
                return period;
            }
        }
        throw new IllegalArgumentException("reset: " + code + " (expected one of: 1m, 1h, 1d, 1w, 1M)");
    }

    /** The start of the period that contains {@code now}. */
    public Instant start(Instant now) {
        ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> utc.truncatedTo(ChronoUnit.MINUTES).toInstant();
            case HOUR -> utc.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> utc.truncatedTo(ChronoUnit.DAYS).toInstant();
            case WEEK -> utc.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        };
    }

    /** The start of the period after the one that contains {@code now}. */
    public Instant next(Instant now) {
        ZonedDateTime start = start(now).atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> start.plusMinutes(1).toInstant();
            case HOUR -> start.plusHours(1).toInstant();
            case DAY -> start.plusDays(1).toInstant();
            case WEEK -> start.plusWeeks(1).toInstant();
            case MONTH -> start.plusMonths(1).toInstant();
        };
    }
}
