package dev.sluice.core.keys;

import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** Managing virtual keys: create (generating values), list, change, delete, and read a key's usage. */
@SuppressWarnings("NullAway") // not yet @NullMarked-clean: being reworked elsewhere for issue 17
public final class VirtualKeyService {

    private final VirtualKeyRepository keys;
    private final UsageRepository usage;
    private final Clock clock;
    private final Runnable onChange;

    /**
     * @param onChange told after every change, so that caches of keys can be dropped
     */
    public VirtualKeyService(VirtualKeyRepository keys, UsageRepository usage, Clock clock, Runnable onChange) {
        this.keys = keys;
        this.usage = usage;
        this.clock = clock;
        this.onChange = onChange;
    }

    /**
     * A key just created, with its value: the only time the value is shown.
     *
     * @param key   the stored key
     * @param value its secret value
     */
    public record CreatedKey(VirtualKey key, String value) {
    }

    /**
     * Usage of a key in its current period.
     *
     * @param key         the key
     * @param periodStart start of the budget period (the epoch for keys whose spend never resets)
     * @param periodEnd   when the period ends, or {@code null} for never
     * @param usage       requests, tokens and spend so far
     */
    public record KeyUsage(VirtualKey key, Instant periodStart, Instant periodEnd, Usage usage) {
    }

    /** Stores a new key, generating {@code sk-bf-<random>} when the spec has no value. */
    public Mono<CreatedKey> create(VirtualKeySpec spec) {
        return Mono.defer(() -> {
            String value = spec.value() != null ? spec.value() : VirtualKeyValues.PREFIX + SecureIds.hex(24);
            return keys.insert(toKey(newId(), spec, value, clock.instant()))
                    .map(stored -> new CreatedKey(stored, value))
                    .doOnNext(created -> onChange.run());
        });
    }

    /** Stores a key declared in configuration, updating the one of the same name (its id and spend stay). */
    public Mono<VirtualKey> declare(VirtualKeySpec spec) {
        if (spec.value() == null) {
            return Mono.error(new IllegalArgumentException("virtual_keys." + spec.name() + ".value: missing (expected: sk-bf-...)"));
        }
        return Mono.defer(() -> keys.upsertByName(toKey(newId(), spec, spec.value(), clock.instant())))
                .doOnNext(stored -> onChange.run());
    }

    public Flux<VirtualKey> list() {
        return keys.findAll();
    }

    public Mono<VirtualKey> get(String name) {
        return keys.findByName(name);
    }

    /** Applies a change to the named key; empty when there is no such key. */
    public Mono<VirtualKey> update(String name, UnaryOperator<VirtualKey> change) {
        return keys.findByName(name)
                .flatMap(existing -> keys.update(change.apply(existing)))
                .doOnNext(updated -> onChange.run());
    }

    /** Deletes the named key and its usage; emits whether it existed. */
    public Mono<Boolean> delete(String name) {
        return keys.deleteByName(name).doOnNext(deleted -> onChange.run());
    }

    /** The named key's usage in its current budget period; empty when there is no such key. */
    public Mono<KeyUsage> usage(String name) {
        return keys.findByName(name).flatMap(key -> {
            Instant now = clock.instant();
            Budget budget = key.budget();
            Instant start = budget == null ? Instant.EPOCH : budget.periodStart(now);
            Instant end = budget == null || budget.reset() == null ? null : budget.reset().next(now);
            return usage.find(key.id(), start).map(counters -> new KeyUsage(key, start, end, counters));
        });
    }

    /**
     * The key with the spec's allowances; its identity, creation time and spend stay. A spec with a value
     * rotates the secret (the old value stops working).
     */
    public static VirtualKey apply(VirtualKey key, VirtualKeySpec spec) {
        String hash = spec.value() == null ? key.valueHash() : VirtualKeyValues.hash(spec.value());
        String hint = spec.value() == null ? key.valueHint() : VirtualKeyValues.hint(spec.value());
        return new VirtualKey(key.id(), key.name(), hash, hint, spec.allowedModels(), spec.rateLimit(), spec.budget(),
                spec.active(), spec.expiresAt(), key.createdAt());
    }

    private static VirtualKey toKey(String id, VirtualKeySpec spec, String value, Instant now) {
        return new VirtualKey(id, spec.name(), VirtualKeyValues.hash(value), VirtualKeyValues.hint(value), spec.allowedModels(),
                spec.rateLimit(), spec.budget(), spec.active(), spec.expiresAt(), now);
    }

    private static String newId() {
        return "vk_" + SecureIds.hex(12);
    }
}
