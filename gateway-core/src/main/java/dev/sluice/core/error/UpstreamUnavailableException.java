package dev.sluice.core.error;

/** The provider could not be reached, or dropped the connection before answering: a 502. */
public final class UpstreamUnavailableException extends ProviderException {

    public UpstreamUnavailableException(String provider, String message, Throwable cause) {
        super(502, "upstream_error", "upstream_unavailable", provider, message, cause);
    }
}
