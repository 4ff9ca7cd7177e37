package dev.sluice.providers.http;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads how long a provider asks to be left alone, from {@code retry-after-ms} or {@code Retry-After}. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait the headers ask for; empty when they ask for none or say it unreadably.
     *
     * @param now the current time, to turn an HTTP-date into a wait
     */
    public static Optional<Duration> from(HttpHeaders headers, Instant now) {
        return parse(headers.get("retry-after-ms"), headers.get("retry-after"), now);
    }

    /**
     * Like {@link #from}, from the raw header values; {@code retry-after-ms} wins because it is the more
     * precise (OpenAI sends both).
     */
    public static Optional<Duration> parse(@Nullable String retryAfterMs, @Nullable String retryAfter, Instant now) {
        Duration millis = number(retryAfterMs, true);
        if (millis != null) {
            return Optional.of(millis);
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        Duration seconds = number(retryAfter, false);
        if (seconds != null) {
            return Optional.of(seconds);
        }
        try {
            Instant at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static @Nullable Duration number(@Nullable String value, boolean millis) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double amount = Double.parseDouble(value.trim());
            if (amount < 0 || Double.isNaN(amount) || Double.isInfinite(amount)) {
                return null;
            }
            return Duration.ofNanos((long) (amount * (millis ? 1_000_000d : 1_000_000_000d)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
