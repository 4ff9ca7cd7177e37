package dev.sluice.core.keys;

import dev.sluice.core.usage.Usage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.function.UnaryOperator;

/** Managing virtual keys: create (generating values), list, change, delete, and read a key's usage. */
public interface VirtualKeyService {

    /**
     * A key just created, with its value: the only time the value is shown.
     *
     * @param key   the stored key
     * @param value its secret value
     */
    record CreatedKey(VirtualKey key, String value) {
    }

    /**
     * Usage of a key in its current period.
     *
     * @param key         the key
     * @param periodStart start of the budget period (the epoch for keys whose spend never resets)
     * @param periodEnd   when the period ends, or {@code null} for never
     * @param usage       requests, tokens and spend so far
     */
    record KeyUsage(VirtualKey key, Instant periodStart, Instant periodEnd, Usage usage) {
    }

    /** Stores a new key, generating {@code sk-bf-<random>} when the spec has no value. */
    Mono<CreatedKey> create(VirtualKeySpec spec);

    /** Stores a key declared in configuration, updating the one of the same name (its id and spend stay). */
    Mono<VirtualKey> declare(VirtualKeySpec spec);

    /** Every stored key. */
    Flux<VirtualKey> list();

    /** The named key; empty when there is no such key. */
    Mono<VirtualKey> get(String name);

    /** Applies a change to the named key; empty when there is no such key. */
    Mono<VirtualKey> update(String name, UnaryOperator<VirtualKey> change);

    /** Deletes the named key and its usage; emits whether it existed. */
    Mono<Boolean> delete(String name);

    /** The named key's usage in its current budget period; empty when there is no such key. */
    Mono<KeyUsage> usage(String name);

    /**
     * The key with the spec's allowances; its identity, creation time and spend stay. A spec with a value
     * rotates the secret (the old value stops working).
     */
    static VirtualKey apply(VirtualKey key, VirtualKeySpec spec) {
        String hash = spec.value() == null ? key.valueHash() : VirtualKeyValues.hash(spec.value());
        String hint = spec.value() == null ? key.valueHint() : VirtualKeyValues.hint(spec.value());
        return new VirtualKey(key.id(), key.name(), hash, hint, spec.allowedModels(), spec.rateLimit(), spec.budget(),
                spec.active(), spec.expiresAt(), key.createdAt());
    }
}
