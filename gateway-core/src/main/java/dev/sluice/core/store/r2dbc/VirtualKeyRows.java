package dev.sluice.core.store.r2dbc;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.routing.ModelPattern;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Maps a virtual key to the columns of {@code virtual_keys} and back. */
final class VirtualKeyRows {

    static final String COLUMNS = "id, name, value_hash, value_hint, allowed_models, requests_per_minute, "
            + "tokens_per_minute, budget_max_usd, budget_reset, active, expires_at, created_at";

    /** Every column but id and created_at, as {@code col = $n} from $1; the id is the next marker. */
    static final String ASSIGNMENTS = "name = $1, value_hash = $2, value_hint = $3, allowed_models = $4, "
            + "requests_per_minute = $5, tokens_per_minute = $6, budget_max_usd = $7, budget_reset = $8, "
            + "active = $9, expires_at = $10";

    static final String INSERT = "INSERT INTO virtual_keys (" + COLUMNS + ") "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

    static final String UPDATE_BY_ID = "UPDATE virtual_keys SET " + ASSIGNMENTS + " WHERE id = $11";

    private VirtualKeyRows() {
    }

    static Statement bindInsert(Statement statement, VirtualKey key, Instant createdAt) {
        statement.bind(0, key.id());
        bindAssignments(statement, key, 1);
        return statement.bind(11, createdAt.toEpochMilli());
    }

    static Statement bindUpdate(Statement statement, VirtualKey key, String id) {
        bindAssignments(statement, key, 0);
        return statement.bind(10, id);
    }

    /** Binds name through expires_at from {@code first} on. */
    private static void bindAssignments(Statement statement, VirtualKey key, int first) {
        RateLimit rateLimit = key.rateLimit();
        Budget budget = key.budget();
        int i = first;
        statement.bind(i++, key.name());
        statement.bind(i++, key.valueHash());
        bind(statement, i++, key.valueHint(), String.class);
        statement.bind(i++, key.allowedModels().stream().map(ModelPattern::toString).collect(Collectors.joining("\n")));
        bind(statement, i++, rateLimit == null ? null : rateLimit.requestsPerMinute(), Integer.class);
        bind(statement, i++, rateLimit == null ? null : rateLimit.tokensPerMinute(), Integer.class);
        bind(statement, i++, budget == null ? null : budget.maxUsd(), Double.class);
        bind(statement, i++, budget == null || budget.reset() == null ? null : budget.reset().code(), String.class);
        statement.bind(i++, key.active());
        bind(statement, i, key.expiresAt() == null ? null : key.expiresAt().toEpochMilli(), Long.class);
    }

    private static <T> void bind(Statement statement, int index, @Nullable T value, Class<T> type) {
        if (value == null) {
            statement.bindNull(index, type);
        } else {
            statement.bind(index, value);
        }
    }

    static VirtualKey read(Row row) {
        Integer requestsPerMinute = row.get("requests_per_minute", Integer.class);
        Integer tokensPerMinute = row.get("tokens_per_minute", Integer.class);
        Double maxUsd = row.get("budget_max_usd", Double.class);
        String reset = row.get("budget_reset", String.class);
        Long expiresAt = row.get("expires_at", Long.class);
        return new VirtualKey(
                Rows.required(row, "id", String.class),
                Rows.required(row, "name", String.class),
                Rows.required(row, "value_hash", String.class),
                row.get("value_hint", String.class),
                patterns(Rows.required(row, "allowed_models", String.class)),
                requestsPerMinute == null && tokensPerMinute == null ? null : new RateLimit(requestsPerMinute, tokensPerMinute),
                maxUsd == null ? null : new Budget(maxUsd, reset == null ? null : ResetPeriod.parse(reset)),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                expiresAt == null ? null : Instant.ofEpochMilli(expiresAt),
                Instant.ofEpochMilli(Rows.required(row, "created_at", Long.class)));
    }

    /** The key as it reads back: instants are kept to the millisecond. */
    static VirtualKey stored(VirtualKey key, String id, Instant createdAt) {
        return new VirtualKey(id, key.name(), key.valueHash(), key.valueHint(), key.allowedModels(), key.rateLimit(),
                key.budget(), key.active(), millis(key.expiresAt()), Instant.ofEpochMilli(createdAt.toEpochMilli()));
    }

    private static @Nullable Instant millis(@Nullable Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

    private static List<ModelPattern> patterns(String joined) {
        if (joined == null || joined.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(joined.split("\n")).map(ModelPattern::of).toList();
    }
}
