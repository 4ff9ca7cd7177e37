package dev.sluice.core.internal.resilience;

import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.provider.ProviderKey;

/**
 * One call to make to a provider on a request's behalf.
 *
 * @param route         where it goes
 * @param key           the key to use, or {@code null} for a provider without keys
 * @param fallbackIndex 0 for the request's own model, {@code n} for its n-th fallback
 * @param number        1 for the first attempt at this target, 2 for the first retry, and so on
 */
public record Attempt(Route route, ProviderKey key, int fallbackIndex, int number) {
}
