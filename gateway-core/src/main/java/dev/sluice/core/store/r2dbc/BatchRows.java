package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchCounts;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.BatchUsage;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import java.time.Duration;
import java.time.Instant;

/** Maps batches to the columns of {@code batches} and back. */
final class BatchRows {

    private BatchRows() {
    }

    static Flux<Batch> select(Statement statement) {
        return Flux.from(statement.execute()).concatMap(result -> result.map((row, meta) -> read(row)));
    }

    static Statement bindInsert(Statement statement, Batch batch) {
        statement.bind(0, batch.id());
        bind(statement, 1, batch.ownerKeyId(), String.class);
        bind(statement, 2, batch.endpoint(), String.class);
        bind(statement, 3, batch.inputFileId(), String.class);
        bind(statement, 4, batch.completionWindow(), String.class);
        statement.bind(5, batch.status().wire());
        bind(statement, 6, batch.outputFileId(), String.class);
        bind(statement, 7, batch.errorFileId(), String.class);
        statement.bind(8, batch.createdAt().toEpochMilli());
        bind(statement, 9, millis(batch.inProgressAt()), Long.class);
        bind(statement, 10, millis(batch.expiresAt()), Long.class);
        bind(statement, 11, millis(batch.finalizingAt()), Long.class);
        bind(statement, 12, millis(batch.completedAt()), Long.class);
        bind(statement, 13, millis(batch.failedAt()), Long.class);
        bind(statement, 14, millis(batch.expiredAt()), Long.class);
        bind(statement, 15, millis(batch.cancellingAt()), Long.class);
        bind(statement, 16, millis(batch.cancelledAt()), Long.class);
        statement.bind(17, batch.counts().total());
        statement.bind(18, batch.counts().completed());
        statement.bind(19, batch.counts().failed());
        bind(statement, 20, BatchJson.metadata(batch.metadata()), String.class);
        statement.bind(21, BatchJson.errors(batch.errors()));
        bind(statement, 22, batch.model(), String.class);
        statement.bind(23, batch.usage().inputTokens());
        statement.bind(24, batch.usage().outputTokens());
        statement.bind(25, batch.usage().cachedTokens());
        statement.bind(26, batch.usage().reasoningTokens());
        bind(statement, 27, batch.outputExpiresAfter() == null ? null : batch.outputExpiresAfter().toMillis(), Long.class);
        bind(statement, 28, batch.leaseOwner(), String.class);
        bind(statement, 29, millis(batch.leaseExpiresAt()), Long.class);
        return statement.bind(30, batch.attempts());
    }

    static <T> void bind(Statement statement, int index, @Nullable T value, Class<T> type) {
        if (value == null) {
            statement.bindNull(index, type);
        } else {
            statement.bind(index, value);
        }
    }

    static Batch read(Row row) {
        Long outputExpiresAfter = row.get("output_expires_after_ms", Long.class);
        return new Batch(
                row.get("id", String.class),
                row.get("owner_key_id", String.class),
                row.get("endpoint", String.class),
                row.get("input_file_id", String.class),
                row.get("completion_window", String.class),
                BatchStatus.fromWire(row.get("status", String.class)),
                row.get("output_file_id", String.class),
                row.get("error_file_id", String.class),
                instant(row.get("created_at", Long.class)),
                instant(row.get("in_progress_at", Long.class)),
                instant(row.get("expires_at", Long.class)),
                instant(row.get("finalizing_at", Long.class)),
                instant(row.get("completed_at", Long.class)),
                instant(row.get("failed_at", Long.class)),
                instant(row.get("expired_at", Long.class)),
                instant(row.get("cancelling_at", Long.class)),
                instant(row.get("cancelled_at", Long.class)),
                new BatchCounts(Rows.required(row, "total_requests", Integer.class),
                        Rows.required(row, "completed_requests", Integer.class), Rows.required(row, "failed_requests", Integer.class)),
                BatchJson.metadata(row.get("metadata", String.class)),
                BatchJson.errors(Rows.required(row, "errors", String.class)),
                row.get("model", String.class),
                new BatchUsage(Rows.required(row, "input_tokens", Long.class), Rows.required(row, "output_tokens", Long.class),
                        Rows.required(row, "cached_tokens", Long.class), Rows.required(row, "reasoning_tokens", Long.class)),
                outputExpiresAfter == null ? null : Duration.ofMillis(outputExpiresAfter),
                row.get("lease_owner", String.class),
                instant(row.get("lease_expires_at", Long.class)),
                Rows.required(row, "attempts", Integer.class));
    }

    /** The batch as it reads back: instants and durations are kept to the millisecond. */
    static Batch stored(Batch batch) {
        return new Batch(batch.id(), batch.ownerKeyId(), batch.endpoint(), batch.inputFileId(), batch.completionWindow(),
                batch.status(), batch.outputFileId(), batch.errorFileId(), toMillis(batch.createdAt()),
                toMillis(batch.inProgressAt()), toMillis(batch.expiresAt()), toMillis(batch.finalizingAt()),
                toMillis(batch.completedAt()), toMillis(batch.failedAt()), toMillis(batch.expiredAt()),
                toMillis(batch.cancellingAt()), toMillis(batch.cancelledAt()), batch.counts(),
                batch.metadata(), batch.errors(), batch.model(), batch.usage(),
                batch.outputExpiresAfter() == null ? null : Duration.ofMillis(batch.outputExpiresAfter().toMillis()),
                batch.leaseOwner(), toMillis(batch.leaseExpiresAt()), batch.attempts());
    }

    static @Nullable Long millis(@Nullable Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static @Nullable Instant instant(@Nullable Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static @Nullable Instant toMillis(@Nullable Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
