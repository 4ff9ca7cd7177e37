package dev.sluice.providers.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");

    @Test
    void readsSeconds() {
        assertThat(RetryAfter.parse(null, "7", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void readsFractionalSeconds() {
        assertThat(RetryAfter.parse(null, "1.5", NOW)).contains(Duration.ofMillis(1500));
    }

    @Test
    void readsHttpDateAsTheWaitUntilThen() {
        assertThat(RetryAfter.parse(null, "Mon, 10 Mar 2025 12:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void readsHttpDateInThePastAsNoWait() {
        assertThat(RetryAfter.parse(null, "Mon, 10 Mar 2025 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void prefersRetryAfterMs() {
        assertThat(RetryAfter.parse("250", "7", NOW)).contains(Duration.ofMillis(250));
    }

    @Test
    void ignoresUnreadableValues() {
        assertThat(RetryAfter.parse("soon", "later", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "-3", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, null, NOW)).isEmpty();
    }

    @Test
    void readsHeadersCaseInsensitively() {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Retry-After", "7");

        assertThat(RetryAfter.from(headers, NOW)).contains(Duration.ofSeconds(7));
    }
}
