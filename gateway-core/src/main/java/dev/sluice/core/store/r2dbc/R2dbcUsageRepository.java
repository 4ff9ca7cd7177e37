package dev.sluice.core.store.r2dbc;

import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * Usage counters in the {@code key_usage} table. Additions are relative updates ({@code x = x + $1}), so that
 * concurrent adds from any number of instances sum exactly.
 */
final class R2dbcUsageRepository implements UsageRepository {

    private static final String ADD = "UPDATE key_usage SET requests = requests + $1, input_tokens = input_tokens + $2, "
            + "output_tokens = output_tokens + $3, cost_micros = cost_micros + $4 WHERE key_id = $5 AND period_start = $6";

    private static final String CREATE = "INSERT INTO key_usage "
            + "(requests, input_tokens, output_tokens, cost_micros, key_id, period_start) VALUES ($1, $2, $3, $4, $5, $6)";

    private static final String FIND = "SELECT requests, input_tokens, output_tokens, cost_micros FROM key_usage "
            + "WHERE key_id = $1 AND period_start = $2";

    private final Database database;

    R2dbcUsageRepository(Database database) {
        this.database = database;
    }

    @Override
    public Mono<Void> add(String keyId, Instant periodStart, Usage delta) {
        long period = periodStart.toEpochMilli();
        return database.withConnectionMono(connection -> execute(connection, ADD, keyId, period, delta)
                        .flatMap(updated -> updated > 0 ? Mono.<Void>empty()
                                : execute(connection, CREATE, keyId, period, delta)
                                        // Another instance created the row between our update and insert: add to it.
                                        .onErrorResume(Database::isUniqueViolation,
                                                raced -> execute(connection, ADD, keyId, period, delta))
                                        .then()));
    }

    @Override
    public Mono<Usage> find(String keyId, Instant periodStart) {
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(FIND)
                                .bind(0, keyId)
                                .bind(1, periodStart.toEpochMilli())
                                .execute())
                        .concatMap(result -> result.map((row, meta) -> new Usage(
                                Rows.required(row, "requests", Long.class),
                                Rows.required(row, "input_tokens", Long.class),
                                Rows.required(row, "output_tokens", Long.class),
                                Rows.required(row, "cost_micros", Long.class))))
                        .singleOrEmpty())
                .defaultIfEmpty(Usage.ZERO);
    }

    /** ADD and CREATE take the same parameters in the same order. */
    private static Mono<Long> execute(Connection connection, String sql, String keyId, long period, Usage delta) {
        return Flux.from(connection.createStatement(sql)
                        .bind(0, delta.requests())
                        .bind(1, delta.inputTokens())
                        .bind(2, delta.outputTokens())
                        .bind(3, delta.costMicros())
                        .bind(4, keyId)
                        .bind(5, period)
                        .execute())
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }
}
