package dev.sluice.core.internal.routing;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.routing.ModelPattern;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A configured provider with its live adapter: what routing chooses between. */
public record Provider(ProviderConfig config, ProviderAdapter adapter) {

    public String name() {
        return config.name();
    }

    /** Whether the catalogue or a key's model list names this model exactly or by a narrow pattern. */
    public boolean lists(String model) {
        if (config.models().contains(model)) {
            return true;
        }
        for (ProviderKey key : config.keys()) {
            for (ModelPattern pattern : key.models()) {
                if (!pattern.toString().equals("*") && pattern.matches(model)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Chooses a key by weight among those that may serve the model; {@code null} when the provider has
     * no keys at all (a local server that needs none).
     *
     * @throws InvalidRequestException when it has keys but none serves the model
     */
    public ProviderKey pickKey(String model) {
        List<ProviderKey> keys = config.keys();
        if (keys.isEmpty()) {
            return null;
        }
        int total = 0;
        for (ProviderKey key : keys) {
            if (key.serves(model)) {
                total += key.weight();
            }
        }
        if (total == 0) {
            throw new InvalidRequestException(
                    "No key of provider '" + name() + "' may serve model '" + model + "'.", "model", "model_not_found");
        }
        // ThreadLocalRandom, not SecureRandom: choosing a key is not a secret, and must never block.
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (ProviderKey key : keys) {
            if (key.serves(model)) {
                ticket -= key.weight();
                if (ticket < 0) {
                    return key;
                }
            }
        }
        throw new IllegalStateException("unreachable: weights changed while picking");
    }
}
