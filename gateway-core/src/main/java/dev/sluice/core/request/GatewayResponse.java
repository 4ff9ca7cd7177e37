package dev.sluice.core.request;

/**
 * A unary answer: the provider's body in the caller's wire format and who served it.
 *
 * @param body          the response body, forwarded as the provider sent it or translated
 * @param provider      the name of the provider that answered
 * @param model         the model as the provider knows it
 * @param fallbackIndex 0 when the request's own model answered, {@code n} when its n-th fallback did
 */
public record GatewayResponse(byte[] body, String provider, String model, int fallbackIndex) {

    /** An answer from the request's own model. */
    public GatewayResponse(byte[] body, String provider, String model) {
        this(body, provider, model, 0);
    }

    /** Who served it. */
    public Served served() {
        return new Served(provider, model, fallbackIndex);
    }
}
