package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;

/** Runs a statement behind the store's back, e.g. to empty a table shared by the tests of one class, or to count rows. */
final class Sql {

    private Sql() {
    }

    static void execute(String url, String sql) {
        Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(url).create()),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(Result::getRowsUpdated)
                                .then(),
                        Connection::close)
                .block(TIMEOUT);
    }

    /** The single number {@code sql} selects, e.g. a {@code COUNT(*)}. */
    static long number(String url, String sql) {
        return Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(url).create()),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(result -> result.map((row, meta) -> row.get(0, Long.class)))
                                .single(),
                        Connection::close)
                .block(TIMEOUT);
    }
}
