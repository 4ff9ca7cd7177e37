package dev.sluice.core.error;

import java.time.Duration;

/**
 * The provider answered with an error status; its status and body are kept to be passed back, the body's text without
 * key-like tokens and addresses.
 */
public final class UpstreamStatusException extends ProviderException {

    private final byte[] body;
    private final Duration retryAfter;

    public UpstreamStatusException(String provider, int status, byte[] body, Duration retryAfter) {
        this(provider, status, body, retryAfter, "Provider '" + provider + "' answered " + status);
    }

    private UpstreamStatusException(String provider, int status, byte[] body, Duration retryAfter, String message) {
        super(status, "upstream_error", null, provider, message, null);
        this.body = SecretScrubber.GENERIC.forCaller(body);
        this.retryAfter = retryAfter;
    }

    /**
     * The same failure for a caller who speaks another wire format than the provider: the body is not passed on,
     * its error message is quoted instead.
     */
    public UpstreamStatusException withoutBody() {
        if (body.length == 0) {
            return this;
        }
        return new UpstreamStatusException(provider(), status(), new byte[0], retryAfter,
                getMessage() + ": " + ErrorEnvelope.upstreamMessage(body));
    }

    /** The error body as the provider sent it (may be empty). */
    public byte[] body() {
        return body;
    }

    /** The provider's {@code Retry-After}, or {@code null} when it gave none. */
    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
