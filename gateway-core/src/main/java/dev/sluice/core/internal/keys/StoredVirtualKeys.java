package dev.sluice.core.internal.keys;

import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.keys.VirtualKeyService;
import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.usage.UsageRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** Virtual keys kept in a {@link VirtualKeyRepository}, their spend in a {@link UsageRepository}. */
public final class StoredVirtualKeys implements VirtualKeyService {

    private final VirtualKeyRepository keys;
    private final UsageRepository usage;
    private final Clock clock;
    private final Runnable onChange;

    /**
     * @param onChange told after every change, so that caches of keys can be dropped
     */
    public StoredVirtualKeys(VirtualKeyRepository keys, UsageRepository usage, Clock clock, Runnable onChange) {
        this.keys = keys;
        this.usage = usage;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** Stores a new key, generating {@code sk-bf-<random>} when the spec has no value. */
    @Override
    public Mono<CreatedKey> create(VirtualKeySpec spec) {
        return Mono.defer(() -> {
            String value = spec.value() != null ? spec.value() : VirtualKeyValues.PREFIX + SecureIds.hex(24);
            return keys.insert(toKey(newId(), spec, value, clock.instant()))
                    .map(stored -> new CreatedKey(stored, value))
                    .doOnNext(created -> onChange.run());
        });
    }

    /** Stores a key declared in configuration, updating the one of the same name (its id and spend stay). */
    @Override
    public Mono<VirtualKey> declare(VirtualKeySpec spec) {
        if (spec.value() == null) {
            return Mono.error(new IllegalArgumentException("virtual_keys." + spec.name() + ".value: missing (expected: sk-bf-...)"));
        }
        return Mono.defer(() -> keys.upsertByName(toKey(newId(), spec, spec.value(), clock.instant())))
                .doOnNext(stored -> onChange.run());
    }

    @Override
    public Flux<VirtualKey> list() {
        return keys.findAll();
    }

    @Override
    public Mono<VirtualKey> get(String name) {
        return keys.findByName(name);
    }

    /** Applies a change to the named key; empty when there is no such key. */
    @Override
    public Mono<VirtualKey> update(String name, UnaryOperator<VirtualKey> change) {
        return keys.findByName(name)
                .flatMap(existing -> keys.update(change.apply(existing)))
                .doOnNext(updated -> onChange.run());
    }

    /** Deletes the named key and its usage; emits whether it existed. */
    @Override
    public Mono<Boolean> delete(String name) {
        return keys.deleteByName(name).doOnNext(deleted -> onChange.run());
    }

    /** The named key's usage in its current budget period; empty when there is no such key. */
    @Override
    public Mono<KeyUsage> usage(String name) {
        return keys.findByName(name).flatMap(key -> {
            Instant now = clock.instant();
            Budget budget = key.budget();
            Instant start = budget == null ? Instant.EPOCH : budget.periodStart(now);
            Instant end = budget == null || budget.reset() == null ? null : budget.reset().next(now);
            return usage.find(key.id(), start).map(counters -> new KeyUsage(key, start, end, counters));
        });
    }

    private static VirtualKey toKey(String id, VirtualKeySpec spec, String value, Instant now) {
        return new VirtualKey(id, spec.name(), VirtualKeyValues.hash(value), VirtualKeyValues.hint(value), spec.allowedModels(),
                spec.rateLimit(), spec.budget(), spec.active(), spec.expiresAt(), now);
    }

    private static String newId() {
        return "vk_" + SecureIds.hex(12);
    }
}
