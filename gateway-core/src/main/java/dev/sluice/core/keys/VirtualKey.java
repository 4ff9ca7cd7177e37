package dev.sluice.core.keys;

import dev.sluice.core.routing.ModelPattern;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A caller's identity and its allowances. The secret value itself is not kept: only its SHA-256
 * ({@link VirtualKeyValues#hash}) to find the key, and its last characters to show it masked.
 *
 * @param id            stable identifier; what jobs, files and spend belong to
 * @param name          unique human name, used by the admin API
 * @param valueHash     hex SHA-256 of the value
 * @param valueHint     the value's last four characters, for {@code sk-bf-...abcd}
 * @param allowedModels globs over {@code provider/model}; empty allows every model
 * @param rateLimit     or {@code null} for none
 * @param budget        or {@code null} for none
 * @param active        an inactive key is refused
 * @param expiresAt     or {@code null} for never
 * @param createdAt     when the key was first stored
 */
public record VirtualKey(
        String id,
        String name,
        String valueHash,
        @Nullable String valueHint,
        List<ModelPattern> allowedModels,
        @Nullable RateLimit rateLimit,
        @Nullable Budget budget,
        boolean active,
        @Nullable Instant expiresAt,
        Instant createdAt) {

    public VirtualKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueHash, "valueHash");
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    }

    /** Whether this key may use {@code provider/model}. */
    public boolean allows(String providerAndModel) {
        if (allowedModels.isEmpty()) {
            return true;
        }
        for (ModelPattern pattern : allowedModels) {
            if (pattern.matches(providerAndModel)) {
                return true;
            }
        }
        return false;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The value as it may be shown: {@code sk-bf-...abcd}. */
    public String maskedValue() {
        return VirtualKeyValues.PREFIX + "..." + valueHint;
    }
}
