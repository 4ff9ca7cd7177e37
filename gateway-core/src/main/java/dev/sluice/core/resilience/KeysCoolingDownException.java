package dev.sluice.core.resilience;

import dev.sluice.core.error.ProviderException;

import java.time.Duration;

/**
 * Every key of a provider that may serve the model is out of rotation after failing (its circuit is open): the
 * provider is not called at all, and a fallback, if there is one, is tried at once. A 503, with the time until the
 * first key may be probed as its {@code Retry-After}.
 */
public final class KeysCoolingDownException extends ProviderException {

    private final Duration retryAfter;

    /** @param retryAfter how long until the first of the keys may be probed again */
    public KeysCoolingDownException(String provider, String model, Duration retryAfter) {
        super(503, "upstream_error", "upstream_keys_cooling_down", provider,
                "Every key of provider '" + provider + "' for model '" + model + "' is out of rotation after repeated"
                        + " failures; it will be tried again after its cool-down.", null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
