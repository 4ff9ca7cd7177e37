package dev.sluice.core.store;

import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * The store of an engine built without one: it knows no virtual keys and refuses to keep any, so only
 * anonymous callers are served and nothing that needs keeping is silently dropped.
 */
final class NoStore implements Store, VirtualKeyRepository, UsageRepository {

    static final NoStore INSTANCE = new NoStore();

    private static final String WHY = "this gateway was built without a store; configure one to keep virtual keys";

    @Override
    public VirtualKeyRepository virtualKeys() {
        return this;
    }

    @Override
    public UsageRepository usage() {
        return this;
    }

    @Override
    public Mono<Boolean> ping() {
        return Mono.just(true);
    }

    @Override
    public Mono<Void> close() {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findByValueHash(String valueHash) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findByName(String name) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findById(String id) {
        return Mono.empty();
    }

    @Override
    public Flux<VirtualKey> findAll() {
        return Flux.empty();
    }

    @Override
    public Mono<VirtualKey> insert(VirtualKey key) {
        return Mono.error(new UnsupportedOperationException(WHY));
    }

    @Override
    public Mono<VirtualKey> update(VirtualKey key) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> upsertByName(VirtualKey key) {
        return Mono.error(new UnsupportedOperationException(WHY));
    }

    @Override
    public Mono<Boolean> deleteByName(String name) {
        return Mono.just(false);
    }

    @Override
    public Mono<Void> add(String keyId, Instant periodStart, Usage delta) {
        return Mono.error(new UnsupportedOperationException(WHY));
    }

    @Override
    public Mono<Usage> find(String keyId, Instant periodStart) {
        return Mono.just(Usage.ZERO);
    }
}
