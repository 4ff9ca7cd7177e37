package dev.sluice.core.request;

/**
 * Who answered a request: the provider and its own model name, and which of the request's targets that was.
 *
 * @param provider      the name of the provider that answered
 * @param model         the model as that provider knows it
 * @param fallbackIndex 0 for the request's own model, 1 for its first fallback, and so on
 */
public record Served(String provider, String model, int fallbackIndex) {
}
