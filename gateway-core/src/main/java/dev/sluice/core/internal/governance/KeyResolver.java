package dev.sluice.core.internal.governance;

import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.keys.VirtualKeyValues;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the stored key behind a presented value, remembering answers (unknown values too) for a short
 * while so that a busy caller does not cost a database round trip per request. Changes made on this
 * instance are seen at once ({@link #forgetAll()}); changes made by another instance within {@link #TTL}.
 */
final class KeyResolver {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 10_000;

    private record Cached(Optional<VirtualKey> key, Instant fetchedAt) {
    }

    private final VirtualKeyRepository keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    KeyResolver(VirtualKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    Mono<Optional<VirtualKey>> resolve(String value) {
        String hash = VirtualKeyValues.hash(value);
        Cached cached = cache.get(hash);
        Instant now = clock.instant();
        if (cached != null && cached.fetchedAt.plus(TTL).isAfter(now)) {
            return Mono.just(cached.key);
        }
        return keys.findByValueHash(hash)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .doOnNext(found -> {
                    if (cache.size() >= MAX_ENTRIES) {
                        cache.clear(); // unknown values sent at random must not grow the map without bound
                    }
                    cache.put(hash, new Cached(found, now));
                });
    }

    void forgetAll() {
        cache.clear();
    }
}
