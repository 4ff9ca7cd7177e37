package dev.sluice.core.store.r2dbc;

import dev.sluice.core.keys.DuplicateKeyException;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/** Virtual keys in the {@code virtual_keys} table. */
final class R2dbcVirtualKeyRepository implements VirtualKeyRepository {

    private static final String SELECT = "SELECT " + VirtualKeyRows.COLUMNS + " FROM virtual_keys";

    private final Database database;
    private final Clock clock;

    R2dbcVirtualKeyRepository(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<VirtualKey> findByValueHash(String valueHash) {
        return findOne(SELECT + " WHERE value_hash = $1", valueHash);
    }

    @Override
    public Mono<VirtualKey> findByName(String name) {
        return findOne(SELECT + " WHERE name = $1", name);
    }

    @Override
    public Mono<VirtualKey> findById(String id) {
        return findOne(SELECT + " WHERE id = $1", id);
    }

    @Override
    public Flux<VirtualKey> findAll() {
        return database.withConnection(connection -> select(connection, SELECT + " ORDER BY name", null));
    }

    @Override
    public Mono<VirtualKey> insert(VirtualKey key) {
        return database.withConnectionMono(connection -> insert(connection, key));
    }

    @Override
    public Mono<VirtualKey> update(VirtualKey key) {
        return database.inTransaction(connection -> updated(connection, key, key.id())
                .flatMap(count -> count == 0 ? Mono.empty() : select(connection, SELECT + " WHERE id = $1", key.id()).singleOrEmpty()));
    }

    @Override
    public Mono<VirtualKey> upsertByName(VirtualKey key) {
        return database.inTransaction(connection ->
                        select(connection, SELECT + " WHERE name = $1 FOR UPDATE", key.name())
                                .singleOrEmpty()
                                .flatMap(existing -> updated(connection, key, existing.id())
                                        .thenReturn(VirtualKeyRows.stored(key, existing.id(), existing.createdAt())))
                                .switchIfEmpty(Mono.defer(() -> insert(connection, key))))
                // Two instances declaring the same new key both find nothing to lock; the loser updates instead.
                .retryWhen(Retry.max(1)
                        .filter(DuplicateKeyException.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    @Override
    public Mono<Boolean> deleteByName(String name) {
        return database.inTransaction(connection -> select(connection, SELECT + " WHERE name = $1 FOR UPDATE", name)
                        .singleOrEmpty()
                        .flatMap(existing -> rowsUpdated(connection.createStatement("DELETE FROM key_usage WHERE key_id = $1")
                                        .bind(0, existing.id()).execute())
                                .then(rowsUpdated(connection.createStatement("DELETE FROM virtual_keys WHERE id = $1")
                                        .bind(0, existing.id()).execute()))
                                .map(deleted -> deleted > 0))
                        .defaultIfEmpty(false));
    }

    private Mono<VirtualKey> findOne(String sql, String value) {
        return database.withConnectionMono(connection -> select(connection, sql, value).singleOrEmpty());
    }

    private static Flux<VirtualKey> select(Connection connection, String sql, @Nullable String value) {
        var statement = connection.createStatement(sql);
        if (value != null) {
            statement.bind(0, value);
        }
        return Flux.from(statement.execute()).concatMap(result -> result.map((row, meta) -> VirtualKeyRows.read(row)));
    }

    private Mono<VirtualKey> insert(Connection connection, VirtualKey key) {
        Instant createdAt = key.createdAt() == null ? clock.instant() : key.createdAt();
        return rowsUpdated(VirtualKeyRows.bindInsert(connection.createStatement(VirtualKeyRows.INSERT), key, createdAt).execute())
                .onErrorMap(Database::isUniqueViolation, error -> duplicate(key, error))
                .thenReturn(VirtualKeyRows.stored(key, key.id(), createdAt));
    }

    private static Mono<Long> updated(Connection connection, VirtualKey key, String id) {
        return rowsUpdated(VirtualKeyRows.bindUpdate(connection.createStatement(VirtualKeyRows.UPDATE_BY_ID), key, id).execute())
                .onErrorMap(Database::isUniqueViolation, error -> duplicate(key, error));
    }

    private static Mono<Long> rowsUpdated(Publisher<? extends Result> results) {
        return Flux.from(results).concatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
    }

    /** Tells which uniqueness was broken from the constraint named in the driver's message. */
    private static DuplicateKeyException duplicate(VirtualKey key, Throwable error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("uq_virtual_keys_name")) {
            return new DuplicateKeyException("a virtual key named " + key.name() + " already exists");
        }
        if (message.contains("uq_virtual_keys_value_hash")) {
            return new DuplicateKeyException("a virtual key with that value already exists");
        }
        return new DuplicateKeyException("a virtual key with id " + key.id() + " already exists");
    }
}
