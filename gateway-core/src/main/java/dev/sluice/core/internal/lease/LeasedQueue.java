package dev.sluice.core.internal.lease;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;

/**
 * Durable work shared by instances through leases (owner + expiry): what a {@link LeasedExecutor} claims,
 * keeps, and hands back.
 *
 * @param <T> one unit of work, such as an async job or a batch
 */
public interface LeasedQueue<T> {

    /**
     * Takes up to {@code limit} units that nobody holds (or whose lease expired) and that were claimed fewer than
     * {@code maxAttempts} times, leased to {@code owner}; the claim counts one attempt.
     */
    Flux<T> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts);

    /**
     * Ends, as failed with a message that says why, the units whose lease lapsed after their last attempt: nobody may
     * claim them again, and the caller must read a final state. Emits how many.
     */
    Mono<Long> abandon(Instant now, int maxAttempts);

    /** Extends this owner's lease on the unit; false when it lost it (cancelled, or taken over). */
    Mono<Boolean> renew(T unit, String owner, Instant until);

    /** Hands every unit this owner holds back to the queue. */
    Mono<Long> release(String owner);

    /** Deletes what has expired; runs periodically. */
    Mono<Long> sweep(Instant now);
}
