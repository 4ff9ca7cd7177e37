package dev.sluice.core.error;

import java.time.Duration;

/** The provider answered with an error status; its status and body are kept to be passed back. */
public final class UpstreamStatusException extends ProviderException {

    private final byte[] body;
    private final Duration retryAfter;

    public UpstreamStatusException(String provider, int status, byte[] body, Duration retryAfter) {
        super(status, "upstream_error", null, provider, "Provider '" + provider + "' answered " + status, null);
        this.body = body;
        this.retryAfter = retryAfter;
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
