package dev.sluice.core.error;

import java.time.Duration;

/**
 * This gateway has no free connection (or HTTP/2 stream) to the provider, and waited as long as it may for one: a
 * 503 with {@code Retry-After}. It says nothing of the provider's health, so no circuit opens; a retry or a fallback
 * may still find room.
 */
public final class UpstreamBusyException extends ProviderException {

    /** Long enough for a few streams to end, short enough that a client's retry keeps it interactive. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public UpstreamBusyException(String provider, String why, Throwable cause) {
        super(503, "upstream_error", "upstream_busy", provider, "provider '" + provider + "' has no free connection in this gateway: "
                + why + "; try again shortly", cause);
    }

    @Override
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
