package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/** What differs between the databases the store runs on: where their calls may run, and how migrations lock. */
enum Dialect {

    /** Embedded: the driver reads and writes its file on the calling thread, so calls move off event loops. */
    H2(true, null),

    /** A network driver that never blocks; transaction-scoped advisory lock so concurrent starts migrate once. */
    POSTGRESQL(false, "SELECT pg_advisory_xact_lock(7301402093112457001)");

    private final boolean blocking;
    private final @Nullable String migrationLock;

    Dialect(boolean blocking, @Nullable String migrationLock) {
        this.blocking = blocking;
        this.migrationLock = migrationLock;
    }

    static Dialect of(ConnectionFactoryMetadata metadata) {
        String name = metadata.getName();
        if (name.equalsIgnoreCase("H2")) {
            return H2;
        }
        if (name.equalsIgnoreCase("PostgreSQL")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("database: " + name + " (expected: H2 or PostgreSQL)");
    }

    /** Whether the driver blocks the thread that calls it. */
    boolean blocking() {
        return blocking;
    }

    /** The statement that serialises migrations across processes; empty when one process owns the database. */
    Optional<String> migrationLock() {
        return Optional.ofNullable(migrationLock);
    }

    <T> Mono<T> schedule(Mono<T> call) {
        return blocking ? call.subscribeOn(Schedulers.boundedElastic()) : call;
    }

    <T> Flux<T> schedule(Flux<T> call) {
        return blocking ? call.subscribeOn(Schedulers.boundedElastic()) : call;
    }
}
