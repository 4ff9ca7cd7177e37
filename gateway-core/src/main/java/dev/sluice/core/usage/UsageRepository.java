package dev.sluice.core.usage;

import reactor.core.publisher.Mono;

import java.time.Instant;

/** Per key and per period counters, added atomically so that several instances never lose an increment. */
public interface UsageRepository {

    /** Adds {@code delta} to the counters of the key's period, creating them at zero first if needed. */
    Mono<Void> add(String keyId, Instant periodStart, Usage delta);

    /** The counters of the key's period; {@link Usage#ZERO} when nothing was recorded. */
    Mono<Usage> find(String keyId, Instant periodStart);
}
