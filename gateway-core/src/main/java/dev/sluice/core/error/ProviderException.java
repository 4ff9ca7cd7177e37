package dev.sluice.core.error;

/**
 * A provider call failed; the subtype says how (status from upstream, unreachable, timed out, garbled). Its message
 * is fit for the caller: key-like tokens and addresses are scrubbed from it ({@link SecretScrubber}).
 */
public abstract class ProviderException extends GatewayException {

    private final String provider;

    protected ProviderException(int status, String type, String code, String provider, String message, Throwable cause) {
        // Whatever a provider or a connection said may name keys and internal addresses: never pass those on.
        super(status, type, code, null, SecretScrubber.GENERIC.forCaller(message), cause);
        this.provider = provider;
    }

    /** The name of the provider that failed. */
    public String provider() {
        return provider;
    }
}
