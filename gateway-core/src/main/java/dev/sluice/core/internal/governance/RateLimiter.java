package dev.sluice.core.internal.governance;

import dev.sluice.core.keys.RateLimit;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request and token rates, kept in memory (no database round trip per request): one token bucket
 * per key and per bound, refilling continuously at the per-minute rate. Each instance limits its own traffic.
 */
final class RateLimiter {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final ConcurrentHashMap<String, Buckets> byKey = new ConcurrentHashMap<>();

    /** Both buckets of one key, rebuilt when the key's limits change. */
    private record Buckets(RateLimit limit, @Nullable Bucket requests, @Nullable Bucket tokens) {
    }

    /**
     * Takes one request from the key's allowance.
     *
     * @return {@code null} when admitted, else the wait before a request would be, and which bound refused
     */
    @Nullable Refusal acquire(String keyId, RateLimit limit, long nowNanos) {
        Buckets buckets = bucketsFor(keyId, limit, nowNanos);
        if (buckets.tokens != null) {
            Duration wait = buckets.tokens.waitForPositive(nowNanos);
            if (wait != null) {
                return new Refusal("tokens-per-minute", wait);
            }
        }
        if (buckets.requests != null) {
            Duration wait = buckets.requests.take(1, nowNanos);
            if (wait != null) {
                return new Refusal("requests-per-minute", wait);
            }
        }
        return null;
    }

    /** Charges tokens an answer used; the bucket may go below zero, which delays the next requests. */
    void consumeTokens(String keyId, RateLimit limit, long tokens, long nowNanos) {
        Buckets buckets = bucketsFor(keyId, limit, nowNanos);
        if (buckets.tokens != null && tokens > 0) {
            buckets.tokens.charge(tokens, nowNanos);
        }
    }

    record Refusal(String bound, Duration retryAfter) {
    }

    private Buckets bucketsFor(String keyId, RateLimit limit, long nowNanos) {
        return byKey.compute(keyId, (id, existing) -> existing != null && existing.limit.equals(limit) ? existing
                : new Buckets(limit, bucket(limit.requestsPerMinute(), nowNanos), bucket(limit.tokensPerMinute(), nowNanos)));
    }

    private static @Nullable Bucket bucket(@Nullable Integer perMinute, long nowNanos) {
        return perMinute == null ? null : new Bucket(perMinute, nowNanos);
    }

    /** A token bucket holding up to one minute's allowance. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double level;
        private long updatedNanos;

        Bucket(int perMinute, long nowNanos) {
            this.capacity = perMinute;
            this.perNano = perMinute / NANOS_PER_MINUTE;
            this.level = perMinute;
            this.updatedNanos = nowNanos;
        }

        synchronized @Nullable Duration take(double amount, long nowNanos) {
            refill(nowNanos);
            if (level >= amount) {
                level -= amount;
                return null;
            }
            return waitFor(amount - level);
        }

        synchronized @Nullable Duration waitForPositive(long nowNanos) {
            refill(nowNanos);
            return level > 0 ? null : waitFor(-level + 1);
        }

        synchronized void charge(double amount, long nowNanos) {
            refill(nowNanos);
            level -= amount;
        }

        private void refill(long nowNanos) {
            long elapsed = Math.max(0, nowNanos - updatedNanos);
            level = Math.min(capacity, level + elapsed * perNano);
            updatedNanos = nowNanos;
        }

        private Duration waitFor(double missing) {
            return Duration.ofNanos((long) Math.ceil(missing / perNano));
        }
    }
}
