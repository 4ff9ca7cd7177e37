package dev.sluice.core.keys;

import dev.sluice.core.routing.ModelPattern;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A virtual key as declared in configuration or sent to the admin API: everything but the identity the
 * store assigns.
 *
 * @param name          unique name
 * @param value         the secret, starting with {@code sk-bf-}; {@code null} asks the gateway to generate one
 * @param allowedModels globs over {@code provider/model}; empty allows all
 * @param rateLimit     or {@code null}
 * @param budget        or {@code null}
 * @param active        whether the key may be used
 * @param expiresAt     or {@code null} for never
 */
public record VirtualKeySpec(
        String name,
        @Nullable String value,
        List<ModelPattern> allowedModels,
        @Nullable RateLimit rateLimit,
        @Nullable Budget budget,
        boolean active,
        @Nullable Instant expiresAt) {

    public VirtualKeySpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name: \"" + name + "\" (expected: 1 to 200 characters)");
        }
        if (value != null && !VirtualKeyValues.looksLikeVirtualKey(value)) {
            throw new IllegalArgumentException("value: must start with " + VirtualKeyValues.PREFIX + " (expected: sk-bf-<anything>)");
        }
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    @Override
    public String toString() {
        return "VirtualKeySpec[name=" + name + ", value=" + (value == null ? "(generated)" : "sk-bf-...")
                + ", allowedModels=" + allowedModels + ", rateLimit=" + rateLimit + ", budget=" + budget
                + ", active=" + active + ", expiresAt=" + expiresAt + "]";
    }
}
