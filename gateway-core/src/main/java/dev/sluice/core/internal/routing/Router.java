package dev.sluice.core.internal.routing;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.request.GatewayRequest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code provider/model} to a provider. The model is split at the first {@code /}, so
 * {@code openrouter/meta/llama-3} is model {@code meta/llama-3} at provider {@code openrouter}.
 */
public final class Router {

    private final Map<String, Provider> providers = new LinkedHashMap<>();

    public Router(List<Provider> providers) {
        for (Provider provider : providers) {
            if (this.providers.putIfAbsent(provider.name(), provider) != null) {
                throw new IllegalArgumentException("providers: " + provider.name() + " is declared twice (expected: unique names)");
            }
        }
    }

    public Collection<Provider> providers() {
        return providers.values();
    }

    /**
     * Chooses the provider for a request: an explicit {@code provider/} prefix first, then the route's
     * default provider, then the provider whose catalogue lists the model.
     *
     * @throws InvalidRequestException naming the model and the configured providers when none fits
     */
    public Route route(GatewayRequest request) {
        return route(request.model(), request.defaultProvider());
    }

    /**
     * Chooses the provider for a model name as {@link #route(GatewayRequest)} does, with {@code defaultProvider} (or
     * {@code null}) for a model without a known prefix.
     */
    public Route route(String model, String defaultProvider) {
        int slash = model.indexOf('/');
        if (slash > 0) {
            Provider prefixed = providers.get(model.substring(0, slash));
            if (prefixed != null) {
                String own = model.substring(slash + 1);
                if (own.isBlank()) {
                    throw new InvalidRequestException("Model '" + model + "' names a provider but no model after the '/'.", "model");
                }
                return new Route(prefixed, own);
            }
        }
        if (defaultProvider != null) {
            Provider fallback = providers.get(defaultProvider);
            if (fallback == null) {
                throw new InvalidRequestException("Model '" + model + "' has no provider prefix, and this route's provider '"
                        + defaultProvider + "' is not configured. Configured providers: " + names() + ".", "model");
            }
            return new Route(fallback, model);
        }
        for (Provider provider : providers.values()) {
            if (provider.lists(model)) {
                return new Route(provider, model);
            }
        }
        if (slash > 0) {
            throw new InvalidRequestException("Unknown provider '" + model.substring(0, slash) + "' in model '" + model
                    + "'. Configured providers: " + names() + ".", "model", "model_not_found");
        }
        throw new InvalidRequestException("Model '" + model + "' has no provider prefix and no configured provider lists it;"
                + " use 'provider/model'. Configured providers: " + names() + ".", "model", "model_not_found");
    }

    private String names() {
        return providers.isEmpty() ? "(none)" : String.join(", ", providers.keySet());
    }
}
