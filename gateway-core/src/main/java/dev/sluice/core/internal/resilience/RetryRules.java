package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.ProviderException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.resilience.KeysCoolingDownException;
import dev.sluice.core.resilience.RetryPolicy;

import java.time.Duration;
import java.util.Set;

/**
 * What a failed provider call means for the next one, written once for every provider (as openai-java's rules):
 * which failures are worth another attempt, which ones another key might not have, which ones say that a key is
 * unhealthy, and how long to wait. {@link RetryRule} puts them together into the one decision that live calls and
 * batch lines both follow.
 */
public final class RetryRules {

    /** Statuses that say "not now" rather than "not this request": timeouts, conflicts, rate limits, server trouble. */
    public static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 409, 429, 500, 502, 503, 504, 529);
    /** Of those, the ones by which the provider asks for time: rate limited, overloaded, or briefly away. */
    private static final Set<Integer> NOT_NOW_STATUSES = Set.of(429, 502, 503, 504, 529);
    private static final double MAX_JITTER = 0.25;

    private RetryRules() {
    }

    /**
     * What the failure says about calling again. Never 400, 404 or 422 (the request is at fault), never an answer that
     * came back garbled (the provider would garble it again), never a gateway decision other than "not now".
     */
    public static FailureKind kind(Throwable failure) {
        if (failure instanceof UpstreamStatusException answered) {
            int status = answered.status();
            return NOT_NOW_STATUSES.contains(status) ? FailureKind.NOT_NOW
                    : RETRYABLE_STATUSES.contains(status) ? FailureKind.TRY_AGAIN : FailureKind.FINAL;
        }
        if (failure instanceof UpstreamUnavailableException || failure instanceof UpstreamTimeoutException) {
            return FailureKind.TRY_AGAIN;
        }
        // No free connection in this gateway's pool, every key of the provider cooling down, or the caller over its own
        // rate limit: each clears with time.
        if (failure instanceof UpstreamBusyException || failure instanceof KeysCoolingDownException
                || failure instanceof AccessDeniedException refused && refused.status() == 429) {
            return FailureKind.NOT_NOW;
        }
        return FailureKind.FINAL;
    }

    /** Whether the same request may succeed if sent again: any failure that is not {@link FailureKind#FINAL}. */
    public static boolean retryable(Throwable failure) {
        return kind(failure) != FailureKind.FINAL;
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
