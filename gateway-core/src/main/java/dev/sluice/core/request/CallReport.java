package dev.sluice.core.request;

import dev.sluice.core.usage.TokenCounts;

/**
 * What the engine learned while serving one request, for the caller's logs and metrics: whose virtual key it was,
 * which target it was admitted for, the tokens the answer reported and the time spent waiting on providers.
 *
 * @param virtualKey    the name of the caller's virtual key (never its value), or {@code null} for an anonymous or
 *                      unidentified caller
 * @param provider      the provider of the target the request was admitted for, or {@code null} before admission
 * @param model         that target's model as the provider knows it, or {@code null} before admission
 * @param tokens        the tokens charged for the answer, or {@code null} when none were
 * @param upstreamNanos time spent in provider calls, retries and fallbacks included, an open call counted up to now
 */
public record CallReport(String virtualKey, String provider, String model, TokenCounts tokens, long upstreamNanos) {

    /** Nothing learned: a request that never reached the engine's governance. */
    public static final CallReport NONE = new CallReport(null, null, null, null, 0);
}
