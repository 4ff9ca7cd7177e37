package dev.sluice.core.request;

/**
 * A unary answer: the provider's body in the caller's wire format, who served it, and what serving it took.
 *
 * @param body          the response body, forwarded as the provider sent it or translated
 * @param provider      the name of the provider that answered
 * @param model         the model as the provider knows it
 * @param fallbackIndex 0 when the request's own model answered, {@code n} when its n-th fallback did
 * @param report        the caller's key, the admitted target, the tokens charged and the time upstream
 */
public record GatewayResponse(byte[] body, String provider, String model, int fallbackIndex, CallReport report) {

    /** An answer from the request's own model, with nothing reported. */
    public GatewayResponse(byte[] body, String provider, String model) {
        this(body, provider, model, 0, CallReport.NONE);
    }

    /** An answer with nothing reported. */
    public GatewayResponse(byte[] body, String provider, String model, int fallbackIndex) {
        this(body, provider, model, fallbackIndex, CallReport.NONE);
    }

    /** Who served it. */
    public Served served() {
        return new Served(provider, model, fallbackIndex);
    }
}
