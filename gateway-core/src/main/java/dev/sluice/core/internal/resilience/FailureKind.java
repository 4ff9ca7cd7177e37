package dev.sluice.core.internal.resilience;

/**
 * What a failed call says about calling again, as {@link RetryRules#kind} reads it: the one classification that live
 * calls and batch lines share.
 */
public enum FailureKind {

    /** Another call would fail the same way: a bad request, a refusal, a garbled answer, a gateway decision. */
    FINAL,
    /**
     * The call went wrong in a way the next one may not: a timeout or conflict status, a server error, a provider that
     * could not be reached or did not answer in time.
     */
    TRY_AGAIN,
    /**
     * The provider or this gateway asked for time: a rate limit (the provider's or the caller's own), an overloaded or
     * unavailable provider, no free connection, every key cooling down. Waiting is what cures it.
     */
    NOT_NOW
}
