package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.provider.ProviderKey;

/** What asking a {@link KeyPool} for a key gives: a key for the attempt, or why no attempt can be made now. */
sealed interface KeyClaim {

    /** @param key the key to use, or {@code null} for a provider without keys */
    record Granted(ProviderKey key) implements KeyClaim {
    }

    /**
     * @param reason a {@code KeysCoolingDownException} when every key that may serve the model is out of rotation, an
     *               {@code InvalidRequestException} when no key of the provider may serve it at all
     */
    record Refused(GatewayException reason) implements KeyClaim {
    }
}
