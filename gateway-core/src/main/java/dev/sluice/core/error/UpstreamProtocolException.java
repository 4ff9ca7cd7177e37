package dev.sluice.core.error;

/** The provider answered something the gateway cannot use (a garbled body, a stream cut short): a 502. */
public final class UpstreamProtocolException extends ProviderException {

    public UpstreamProtocolException(String provider, String message) {
        super(502, "upstream_error", "upstream_protocol_error", provider, message, null);
    }
}
