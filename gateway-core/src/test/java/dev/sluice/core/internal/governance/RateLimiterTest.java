package dev.sluice.core.internal.governance;

import dev.sluice.core.keys.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final RateLimiter limiter = new RateLimiter();

    @Test
    void admitsAMinutesRequestsThenRefusesWithTheWaitForTheNext() {
        RateLimit limit = new RateLimit(3, null);

        assertThat(limiter.acquire("k", limit, 0)).isNull();
        assertThat(limiter.acquire("k", limit, 0)).isNull();
        assertThat(limiter.acquire("k", limit, 0)).isNull();
        RateLimiter.Refusal refusal = limiter.acquire("k", limit, 0);

        assertThat(refusal).isNotNull();
        assertThat(refusal.bound()).isEqualTo("requests-per-minute");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void refillsContinuously() {
        RateLimit limit = new RateLimit(60, null);
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.acquire("k", limit, 0)).isNull();
        }
        assertThat(limiter.acquire("k", limit, 0)).isNotNull();

        assertThat(limiter.acquire("k", limit, SECOND)).isNull();
        assertThat(limiter.acquire("k", limit, SECOND)).isNotNull();
    }

    @Test
    void tokensSpentBeyondTheAllowanceDelayTheNextRequestUntilRepaid() {
        RateLimit limit = new RateLimit(null, 600);

        assertThat(limiter.acquire("k", limit, 0)).isNull();
        limiter.consumeTokens("k", limit, 900, 0);
        RateLimiter.Refusal refusal = limiter.acquire("k", limit, 0);

        assertThat(refusal.bound()).isEqualTo("tokens-per-minute");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMillis(30_100));
        assertThat(limiter.acquire("k", limit, 31 * SECOND)).isNull();
    }

    @Test
    void keysAreLimitedSeparately() {
        RateLimit limit = new RateLimit(1, null);

        assertThat(limiter.acquire("a", limit, 0)).isNull();
        assertThat(limiter.acquire("b", limit, 0)).isNull();
        assertThat(limiter.acquire("a", limit, 0)).isNotNull();
    }

    @Test
    void aChangedLimitTakesEffectAtOnce() {
        assertThat(limiter.acquire("k", new RateLimit(1, null), 0)).isNull();
        assertThat(limiter.acquire("k", new RateLimit(1, null), 0)).isNotNull();

        assertThat(limiter.acquire("k", new RateLimit(5, null), 0)).isNull();
    }
}
