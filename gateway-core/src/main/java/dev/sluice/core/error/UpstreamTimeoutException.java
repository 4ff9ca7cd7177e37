package dev.sluice.core.error;

/** The provider did not answer within its timeout: a 504. */
public final class UpstreamTimeoutException extends ProviderException {

    public UpstreamTimeoutException(String provider, String message) {
        super(504, "upstream_error", "upstream_timeout", provider, message, null);
    }
}
