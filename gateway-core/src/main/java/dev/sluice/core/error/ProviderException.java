package dev.sluice.core.error;

/** A provider call failed; the subtype says how (status from upstream, unreachable, timed out, garbled). */
public abstract class ProviderException extends GatewayException {

    private final String provider;

    protected ProviderException(int status, String type, String code, String provider, String message, Throwable cause) {
        super(status, type, code, null, message, cause);
        this.provider = provider;
    }

    /** The name of the provider that failed. */
    public String provider() {
        return provider;
    }
}
