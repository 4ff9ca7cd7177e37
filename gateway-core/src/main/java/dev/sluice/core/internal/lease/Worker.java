package dev.sluice.core.internal.lease;

import reactor.core.publisher.Mono;

/** Does one claimed unit of work to its end; cancelled when the unit's lease is lost. Never errors. */
@FunctionalInterface
public interface Worker<T> {

    Mono<Void> work(T unit);
}
