package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;

/** Reads {@code schema_version} behind the store's back, to see what the migrations recorded. */
final class SchemaVersions {

    private SchemaVersions() {
    }

    static List<Integer> of(String url) {
        return Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(url).create()),
                        connection -> Flux.from(connection.createStatement("SELECT version FROM schema_version ORDER BY version").execute())
                                .concatMap(result -> result.map((row, meta) -> row.get("version", Integer.class)))
                                .collectList(),
                        Connection::close)
                .block(TIMEOUT);
    }
}
