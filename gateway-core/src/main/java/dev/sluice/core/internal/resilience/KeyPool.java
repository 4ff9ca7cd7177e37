package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.KeysCoolingDownException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The keys of one provider with their health: chooses a key for each attempt by weight among the keys that may
 * serve the model and are in rotation, preferring keys this request has not been refused with yet. A provider
 * without keys (a local server) has one circuit for itself.
 */
final class KeyPool {

    private static final String NO_KEY = "";

    private final Provider provider;
    private final CircuitBreakerSettings settings;
    private final Map<String, KeyCircuit> circuits = new LinkedHashMap<>();

    KeyPool(Provider provider) {
        this.provider = provider;
        this.settings = provider.config().circuitBreaker();
        for (ProviderKey key : provider.config().keys()) {
            circuits.put(key.name(), new KeyCircuit());
        }
        circuits.put(NO_KEY, new KeyCircuit());
    }

    String provider() {
        return provider.name();
    }

    /**
     * Claims a key for one attempt: among the keys in rotation that may serve the model, one not in {@code avoid} if
     * there is one, chosen by weight; no key for a provider without keys. Refused when no key of the provider may
     * serve the model at all, or every key that may is out of rotation.
     */
    KeyClaim acquire(String model, Set<String> avoid, long nowNanos, RandomGenerator random) {
        List<ProviderKey> keys = provider.config().keys();
        if (keys.isEmpty()) {
            return circuits.get(NO_KEY).tryAcquire(nowNanos) ? new KeyClaim.Granted(null)
                    : new KeyClaim.Refused(coolingDown(model, List.of(NO_KEY), nowNanos));
        }
        List<ProviderKey> serving = new ArrayList<>(keys.size());
        for (ProviderKey key : keys) {
            if (key.serves(model)) {
                serving.add(key);
            }
        }
        if (serving.isEmpty()) {
            return new KeyClaim.Refused(new InvalidRequestException("No key of provider '" + provider.name()
                    + "' may serve model '" + model + "'.", "model", "model_not_found"));
        }
        while (true) {
            List<ProviderKey> fresh = new ArrayList<>(serving.size());
            List<ProviderKey> tried = new ArrayList<>(serving.size());
            for (ProviderKey key : serving) {
                if (circuits.get(key.name()).available(nowNanos)) {
                    (avoid.contains(key.name()) ? tried : fresh).add(key);
                }
            }
            List<ProviderKey> candidates = fresh.isEmpty() ? tried : fresh;
            if (candidates.isEmpty()) {
                return new KeyClaim.Refused(coolingDown(model, serving.stream().map(ProviderKey::name).toList(), nowNanos));
            }
            ProviderKey chosen = byWeight(candidates, random.nextDouble());
            if (circuits.get(chosen.name()).tryAcquire(nowNanos)) {
                return new KeyClaim.Granted(chosen);
            }
            // Another call took this key's one probe since we looked: choose again among the rest.
            serving.remove(chosen);
        }
    }

    private KeysCoolingDownException coolingDown(String model, List<String> keys, long nowNanos) {
        long soonest = Long.MAX_VALUE;
        for (String key : keys) {
            soonest = Math.min(soonest, circuits.get(key).nanosUntilAvailable(nowNanos));
        }
        // A probe under way (half-open) has no time of its own: a second is a fair wait for its outcome.
        long wait = soonest == 0 || soonest == Long.MAX_VALUE ? 1_000_000_000L : soonest;
        return new KeysCoolingDownException(provider.name(), model, java.time.Duration.ofNanos(wait));
    }

    /** Whether a key other than those in {@code avoid} may serve the model and is in rotation now. */
    boolean hasOther(String model, Set<String> avoid, long nowNanos) {
        for (ProviderKey key : provider.config().keys()) {
            if (key.serves(model) && !avoid.contains(key.name()) && circuits.get(key.name()).available(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    /** The attempt with this key was answered. */
    void succeeded(ProviderKey key) {
        circuit(key).succeeded();
    }

    /** The attempt with this key failed; returns how long its circuit opened for, or {@code null} when it did not. */
    java.time.Duration failed(ProviderKey key, Throwable failure, long nowNanos) {
        KeyCircuit circuit = circuit(key);
        if (RetryRules.refusesKey(failure)) {
            return circuit.open(nowNanos, settings.authOpenFor().toNanos()) ? settings.authOpenFor() : null;
        }
        if (RetryRules.unhealthy(failure)) {
            return circuit.failed(nowNanos, settings.failureThreshold(), settings.openFor().toNanos()) ? settings.openFor() : null;
        }
        circuit.succeeded();
        return null;
    }

    /** The attempt was cancelled before it told anything about the key. */
    void abandoned(ProviderKey key, long nowNanos) {
        circuit(key).abandoned(nowNanos);
    }

    private KeyCircuit circuit(ProviderKey key) {
        return circuits.get(key == null ? NO_KEY : key.name());
    }

    private static ProviderKey byWeight(List<ProviderKey> keys, double random) {
        int total = 0;
        for (ProviderKey key : keys) {
            total += key.weight();
        }
        double ticket = random * total;
        for (ProviderKey key : keys) {
            ticket -= key.weight();
            if (ticket < 0) {
                return key;
            }
        }
        return keys.get(keys.size() - 1);
    }
}
