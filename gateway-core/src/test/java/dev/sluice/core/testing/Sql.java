package dev.sluice.core.testing;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Runs a statement behind the store's back, e.g. to empty a table shared by the tests of one class, to count rows, or
 * to put a row in a state only a crash leaves behind. Shared with other modules through gateway-core's test-jar.
 */
public final class Sql {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Sql() {
    }

    public static void execute(String url, String sql) {
        Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(url).create()),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(Result::getRowsUpdated)
                                .then(),
                        Connection::close)
                .block(TIMEOUT);
    }

    /** The single number {@code sql} selects, e.g. a {@code COUNT(*)}. */
    public static long number(String url, String sql) {
        return Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(url).create()),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(result -> result.map((row, meta) -> row.get(0, Long.class)))
                                .single(),
                        Connection::close)
                .block(TIMEOUT);
    }
}
