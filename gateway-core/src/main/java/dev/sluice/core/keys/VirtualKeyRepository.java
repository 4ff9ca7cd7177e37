package dev.sluice.core.keys;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Stored virtual keys. Names and value hashes are unique. */
public interface VirtualKeyRepository {

    /** The key whose value hashes to {@code valueHash}, or empty. */
    Mono<VirtualKey> findByValueHash(String valueHash);

    Mono<VirtualKey> findByName(String name);

    Mono<VirtualKey> findById(String id);

    /** Every key, ordered by name. */
    Flux<VirtualKey> findAll();

    /**
     * Stores a new key.
     *
     * @return the key, or an error {@link DuplicateKeyException} when its name or value is taken
     */
    Mono<VirtualKey> insert(VirtualKey key);

    /** Replaces the stored key of the same id (every field but id and createdAt); empty when there is none. */
    Mono<VirtualKey> update(VirtualKey key);

    /**
     * Inserts the key, or, when one of that name exists, replaces its value and allowances while keeping its
     * id and creation time (so its spend and its jobs stay its own). Used for keys declared in configuration.
     */
    Mono<VirtualKey> upsertByName(VirtualKey key);

    /** Deletes by name; emits whether a key was deleted. */
    Mono<Boolean> deleteByName(String name);
}
