package dev.sluice.core.keys;

import org.jspecify.annotations.Nullable;

/**
 * How fast a virtual key may go; a {@code null} bound is no bound.
 *
 * @param requestsPerMinute requests a minute, {@code > 0}
 * @param tokensPerMinute   input plus output tokens a minute, {@code > 0}
 */
public record RateLimit(@Nullable Integer requestsPerMinute, @Nullable Integer tokensPerMinute) {

    public RateLimit {
        if (requestsPerMinute != null && requestsPerMinute <= 0) {
            throw new IllegalArgumentException("rate_limit.requests_per_minute: " + requestsPerMinute + " (expected: > 0)");
        }
        if (tokensPerMinute != null && tokensPerMinute <= 0) {
            throw new IllegalArgumentException("rate_limit.tokens_per_minute: " + tokensPerMinute + " (expected: > 0)");
        }
    }
}
