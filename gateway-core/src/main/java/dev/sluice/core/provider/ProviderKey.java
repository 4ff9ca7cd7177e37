package dev.sluice.core.provider;

import dev.sluice.core.routing.ModelPattern;

import java.util.List;
import java.util.Objects;

/**
 * One credential of a provider, chosen by weight among the keys that may serve the requested model.
 * {@link #toString()} never shows the value.
 *
 * @param name   a label for logs and metrics
 * @param value  the secret sent upstream
 * @param weight relative share of traffic, {@code > 0}
 * @param models which models this key may serve; {@code *} serves all
 */
public record ProviderKey(String name, String value, int weight, List<ModelPattern> models) {

    public ProviderKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("key " + name + ": value is empty (expected: the provider's API key)");
        }
        if (weight <= 0) {
            throw new IllegalArgumentException("key " + name + ": weight: " + weight + " (expected: > 0)");
        }
        models = models == null || models.isEmpty() ? List.of(ModelPattern.of("*")) : List.copyOf(models);
    }

    /** A key with weight 1 that serves every model. */
    public static ProviderKey of(String name, String value) {
        return new ProviderKey(name, value, 1, List.of());
    }

    public boolean serves(String model) {
        for (ModelPattern pattern : models) {
            if (pattern.matches(model)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ProviderKey[name=" + name + ", weight=" + weight + ", models=" + models + "]";
    }
}
