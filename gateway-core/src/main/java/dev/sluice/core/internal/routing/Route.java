package dev.sluice.core.internal.routing;

/**
 * Where one request goes: the provider and the model name as that provider knows it.
 *
 * @param provider the chosen provider
 * @param model    the provider's own model name (the part after {@code provider/})
 */
public record Route(Provider provider, String model) {
}
