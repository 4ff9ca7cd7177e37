package dev.sluice.core.internal.resilience;

import dev.sluice.core.request.Served;

/**
 * A successful result and who it came from.
 *
 * @param value  what the successful attempt emitted
 * @param served the provider, model and fallback index that answered
 */
public record Answered<T>(T value, Served served) {
}
