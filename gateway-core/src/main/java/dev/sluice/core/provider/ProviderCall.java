package dev.sluice.core.provider;

import dev.sluice.core.format.Operation;

/**
 * What an adapter is asked to send: the operation, the provider's own model name, the body in the
 * adapter's wire format with that model already in place, and the key chosen for this call.
 *
 * @param key the credential to use, or {@code null} when the provider has none (a local model server)
 */
public record ProviderCall(Operation operation, String model, byte[] body, ProviderKey key) {
}
