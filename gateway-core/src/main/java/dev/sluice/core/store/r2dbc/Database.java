package dev.sluice.core.store.r2dbc;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.Result;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * A pool and its dialect: every repository call borrows a connection here, gives it back, and runs
 * where the dialect says it may.
 */
final class Database {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final ConnectionPool pool;
    private final Dialect dialect;
    private final Mono<Void> beforeClose;

    Database(ConnectionPool pool, Dialect dialect, boolean shutdownOnClose) {
        this.pool = pool;
        this.dialect = dialect;
        // An in-memory H2 database is kept alive between connections (DB_CLOSE_DELAY=-1), so it is dropped explicitly.
        this.beforeClose = shutdownOnClose
                ? withConnection(connection -> Flux.from(connection.createStatement("SHUTDOWN").execute())
                        .flatMap(Result::getRowsUpdated)).then().onErrorComplete()
                : Mono.empty();
    }

    Dialect dialect() {
        return dialect;
    }

    /** The connection pool, for its gauges. */
    ConnectionPool pool() {
        return pool;
    }

    /**
     * Runs {@code work} on one pooled connection, released however the work ends.
     *
     * <p>The pool hands a connection over on the thread of its own delivery loop. Blocking work run right there
     * would hold that loop, so every blocking call would wait for the one before it, one connection at a time:
     * the work is scheduled again once it has its connection (the connection is owned by {@code usingWhen} by
     * then, so a cancel still releases it).
     */
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return dialect.schedule(Flux.usingWhen(pool.create(),
                connection -> dialect.schedule(Flux.defer(() -> work.apply(connection))),
                Connection::close));
    }

    /** Like {@link #withConnection} for work of at most one result. */
    <T> Mono<T> withConnectionMono(Function<Connection, Mono<T>> work) {
        return dialect.schedule(Mono.usingWhen(pool.create(),
                connection -> dialect.schedule(Mono.defer(() -> work.apply(connection))),
                Connection::close));
    }

    /**
     * Runs {@code work} in one transaction: committed when it completes, rolled back on error or cancel. A Mono,
     * because taking the first element of a Flux cancels it, which would roll the work back.
     */
    <T> Mono<T> inTransaction(Function<Connection, Mono<T>> work) {
        return withConnectionMono(connection -> Mono.usingWhen(
                Mono.from(connection.beginTransaction()).thenReturn(connection),
                work,
                Connection::commitTransaction,
                (c, error) -> c.rollbackTransaction(),
                Connection::rollbackTransaction));
    }

    static boolean isUniqueViolation(Throwable error) {
        return error instanceof R2dbcDataIntegrityViolationException violation
                && UNIQUE_VIOLATION.equals(violation.getSqlState());
    }

    Mono<Void> close() {
        return beforeClose.then(dialect.schedule(pool.disposeLater()))
                // reactor-pool 1.2.6 can miscount a connection released while the pool is being disposed ("Too many
                // permits returned"); its connections are closed all the same, so closing goes on and says so.
                .onErrorResume(IllegalArgumentException.class, error -> {
                    log.warn("the store's connection pool reported an error while closing: {}", error.getMessage());
                    return Mono.empty();
                });
    }

    /** The total of rows updated by a statement's results. */
    static Mono<Long> rowsUpdated(Publisher<? extends Result> results) {
        return Flux.from(results).concatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
    }
}
