package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.ProviderException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.resilience.RetryPolicy;

import java.time.Duration;
import java.util.Set;

/**
 * What a failed provider call means for the next one, written once for every provider (as openai-java's rules):
 * which failures are worth another attempt, which ones another key might not have, which ones say that a key is
 * unhealthy, and how long to wait.
 */
public final class RetryRules {

    /** Statuses that say "not now" rather than "not this request": timeouts, conflicts, rate limits, server trouble. */
    public static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 409, 429, 500, 502, 503, 504, 529);
    private static final double MAX_JITTER = 0.25;

    private RetryRules() {
    }

    /**
     * Whether the same request may succeed if sent again: a retryable status, a provider that could not be reached
     * or dropped the connection, or one that did not answer in time. Never 400, 404 or 422, never an answer that
     * came back garbled (the provider would garble it again), never a gateway decision.
     */
    public static boolean retryable(Throwable failure) {
        return failure instanceof UpstreamStatusException answered && RETRYABLE_STATUSES.contains(answered.status())
                || failure instanceof UpstreamUnavailableException
                || failure instanceof UpstreamTimeoutException
                // No room in this gateway's pool: a connection may be free by the next try.
                || failure instanceof UpstreamBusyException;
    }

    /** Whether another key of the same provider may fare better: rate limits and refusals are per key. */
    public static boolean rotatesKey(Throwable failure) {
        return failure instanceof UpstreamStatusException answered
                && (answered.status() == 429 || answered.status() == 401 || answered.status() == 403);
    }

    /** Whether the provider refused the key itself: it leaves rotation for a cool-down. */
    public static boolean refusesKey(Throwable failure) {
        return failure instanceof UpstreamStatusException answered && (answered.status() == 401 || answered.status() == 403);
    }

    /**
     * Whether the failure counts against the key's health: server errors, timeouts, unreachable, garbled. A 429 or a
     * 4xx about the request shows the key works.
     */
    public static boolean unhealthy(Throwable failure) {
        return failure instanceof UpstreamStatusException answered && (answered.status() >= 500 || answered.status() == 408)
                || failure instanceof UpstreamUnavailableException
                || failure instanceof UpstreamTimeoutException
                || failure instanceof UpstreamProtocolException;
    }

    /**
     * Whether a fallback target should be tried after this failure: any provider failure, since another provider
     * or model may well serve what this one could not; never a gateway decision (a bad request, governance).
     */
    public static boolean fallsBack(Throwable failure) {
        return failure instanceof ProviderException;
    }

    /** How long the provider asked to be left alone, or {@code null}. */
    public static Duration retryAfter(Throwable failure) {
        return failure instanceof GatewayException known ? known.retryAfter() : null;
    }

    /**
     * The wait before retry number {@code retriesSoFar + 1}: {@code initialBackoff * 2^retriesSoFar}, capped at
     * {@code maxBackoff}, shortened by up to a quarter at random so that callers failing together come back apart.
     *
     * @param random a number in {@code [0, 1)}
     */
    public static Duration backoff(RetryPolicy policy, long retriesSoFar, double random) {
        long initial = policy.initialBackoff().toNanos();
        long capped = policy.maxBackoff().toNanos();
        long exponential = retriesSoFar >= 62 || initial > (capped >> Math.min(retriesSoFar, 62)) ? capped : initial << retriesSoFar;
        return Duration.ofNanos((long) (Math.min(exponential, capped) * (1 - MAX_JITTER * random)));
    }
}
