package dev.sluice.core.store.r2dbc;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.usage.TokenCounts;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Batches in the {@code batches} table and the results of their lines in {@code batch_results}.
 *
 * <p>Claiming is the job queue's portable compare-and-set: read a few more candidates than wanted, then claim each
 * with an {@code UPDATE} whose {@code WHERE} repeats the claimable condition, so that of two instances racing for a
 * batch exactly one changes the row. Updates name the lease holder and the status they expect, so a batch taken over
 * or cancelled meanwhile is left alone. A line's result is inserted and added to its batch's counters in one
 * transaction, with {@code SET completed_requests = completed_requests + 1}: lines finishing together never lose a
 * count, and a line recorded twice (the primary key refuses it) counts once.
 */
final class R2dbcBatchRepository implements BatchRepository {

    private static final String COLUMNS = "id, owner_key_id, endpoint, input_file_id, completion_window, status, "
            + "output_file_id, error_file_id, created_at, in_progress_at, expires_at, finalizing_at, completed_at, "
            + "failed_at, expired_at, cancelling_at, cancelled_at, total_requests, completed_requests, failed_requests, "
            + "metadata, errors, model, input_tokens, output_tokens, cached_tokens, reasoning_tokens, "
            + "output_expires_after_ms, lease_owner, lease_expires_at, attempts";

    private static final String INSERT = "INSERT INTO batches (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
            + "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)";

    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM batches WHERE id = $1";

    /** Newest first; the cursor is the batch listed last, and an unknown cursor lists nothing. */
    private static final String LIST = "SELECT " + COLUMNS + " FROM batches WHERE %s %s ORDER BY created_at DESC, id DESC LIMIT $%d";

    /** After the cursor: its id is bound to three markers, as no marker is used twice (see the job queue). */
    private static final String AFTER = "AND (created_at < (SELECT c.created_at FROM batches c WHERE c.id = $%d) "
            + "OR (created_at = (SELECT c.created_at FROM batches c WHERE c.id = $%d) AND id < $%d))";

    private static final int CURSOR_MARKERS = 3;

    private static final String LIST_OWNED = LIST.formatted("owner_key_id = $1", "", 2);
    private static final String LIST_OWNED_AFTER = LIST.formatted("owner_key_id = $1", AFTER.formatted(2, 3, 4), 5);
    private static final String LIST_UNOWNED = LIST.formatted("owner_key_id IS NULL", "", 1);
    private static final String LIST_UNOWNED_AFTER = LIST.formatted("owner_key_id IS NULL", AFTER.formatted(1, 2, 3), 4);

    /** The statuses a batch never leaves, as an SQL list. */
    private static final String FINAL = Arrays.stream(BatchStatus.values())
            .filter(BatchStatus::isFinal)
            .map(status -> "'" + status.wire() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /**
     * Which batches may be claimed at {@code now} with fewer than a number of attempts: the same condition in the
     * candidate query and in the claim itself.
     */
    private static final String CLAIMABLE = "(status NOT IN " + FINAL + " AND (lease_owner IS NULL OR lease_expires_at < %s) "
            + "AND attempts < %s)";

    private static final String CANDIDATES = "SELECT id FROM batches WHERE " + CLAIMABLE.formatted("$1", "$2")
            + " ORDER BY created_at, id LIMIT $3";

    private static final String CLAIM_ONE = "UPDATE batches SET lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1 "
            + "WHERE id = $3 AND " + CLAIMABLE.formatted("$4", "$5");

    /** Batches whose holder's lease lapsed after their last attempt: nobody may claim them, they are to be failed. */
    private static final String EXHAUSTED = "SELECT " + COLUMNS + " FROM batches WHERE status NOT IN " + FINAL
            + " AND lease_owner IS NOT NULL AND lease_expires_at < $1 AND attempts >= $2 ORDER BY created_at, id LIMIT $3";

    /** Whether a batch that is not final reads the file: such a file may not be deleted or expire. */
    private static final String READS_FILE = "SELECT COUNT(*) AS n FROM batches WHERE input_file_id = $1 AND status NOT IN " + FINAL;

    private static final String FIND_CLAIMED = "SELECT " + COLUMNS + " FROM batches WHERE id = $1 AND lease_owner = $2";

    private static final String RENEW = "UPDATE batches SET lease_expires_at = $1 "
            + "WHERE id = $2 AND lease_owner = $3 AND status NOT IN " + FINAL;

    /**
     * A state timestamp once reached is kept: a runner writing a batch it read before a cancel was requested still
     * keeps {@code cancelling_at}. Moving to a final status hands the lease back, as there is nothing left to run.
     */
    private static final String UPDATE = "UPDATE batches SET status = $1, output_file_id = $2, error_file_id = $3, "
            + "in_progress_at = COALESCE($4, in_progress_at), expires_at = COALESCE($5, expires_at), "
            + "finalizing_at = COALESCE($6, finalizing_at), completed_at = COALESCE($7, completed_at), "
            + "failed_at = COALESCE($8, failed_at), expired_at = COALESCE($9, expired_at), "
            + "cancelling_at = COALESCE($10, cancelling_at), cancelled_at = COALESCE($11, cancelled_at), "
            + "errors = $12, total_requests = $13%s WHERE id = $14 AND lease_owner = $15 AND status = $16";

    private static final String UPDATE_RUNNING = UPDATE.formatted("");

    private static final String UPDATE_FINAL = UPDATE.formatted(", lease_owner = NULL, lease_expires_at = NULL");

    /** A finalizing batch is past cancelling: its files are being written, and only one set of them may be. */
    private static final String REQUEST_CANCEL = "UPDATE batches SET status = '" + BatchStatus.CANCELLING.wire() + "', "
            + "cancelling_at = $1 WHERE id = $2 AND status IN ('" + BatchStatus.VALIDATING.wire() + "', '"
            + BatchStatus.IN_PROGRESS.wire() + "')";

    /** A batch handed back at a graceful stop did not fail: its attempt is given back. */
    private static final String RELEASE = "UPDATE batches SET lease_owner = NULL, lease_expires_at = NULL, "
            + "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE lease_owner = $1";

    private static final String INSERT_RESULT = "INSERT INTO batch_results "
            + "(batch_id, line, custom_id, is_error, output_line, model, input_tokens, output_tokens) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    private static final String ADD_RESULT = "UPDATE batches SET completed_requests = completed_requests + $1, "
            + "failed_requests = failed_requests + $2, input_tokens = input_tokens + $3, output_tokens = output_tokens + $4, "
            + "model = COALESCE(model, $5) WHERE id = $6";

    private static final String FINISHED_LINES = "SELECT line FROM batch_results WHERE batch_id = $1 ORDER BY line";

    private static final String FINISHED_LINES_BETWEEN =
            "SELECT line FROM batch_results WHERE batch_id = $1 AND line >= $2 AND line <= $3";

    private static final String RESULTS = "SELECT line, custom_id, is_error, output_line, model, input_tokens, output_tokens "
            + "FROM batch_results WHERE batch_id = $1 AND is_error = $2 ORDER BY line";

    /** Rows fetched at a time when reading results, so that a large batch is streamed, not loaded. */
    private static final int FETCH_SIZE = 256;

    private static final LeaseClaims.Statements<Batch> CLAIMS = new LeaseClaims.Statements<>(
            CANDIDATES,
            (connection, claim, id) -> connection.createStatement(CLAIM_ONE)
                        .bind(0, claim.owner())
                        .bind(1, claim.leaseExpiresAt())
                        .bind(2, id)
                        .bind(3, claim.now())
                        .bind(4, claim.maxAttempts())
                        .execute(),
            (connection, claim, id) -> BatchRows.select(connection.createStatement(FIND_CLAIMED).bind(0, id).bind(1, claim.owner())),
            Comparator.comparing(Batch::createdAt).thenComparing(Batch::id));

    private final Database database;

    R2dbcBatchRepository(Database database) {
        this.database = database;
    }

    @Override
    public Mono<Batch> insert(Batch batch) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(batch.createdAt(), "createdAt");
        return database.withConnectionMono(connection -> Database.rowsUpdated(BatchRows.bindInsert(connection.createStatement(INSERT), batch).execute()))
                .thenReturn(BatchRows.stored(batch));
    }

    @Override
    public Mono<Batch> findById(String id) {
        Objects.requireNonNull(id, "id");
        return database.withConnectionMono(connection -> BatchRows.select(connection.createStatement(FIND_BY_ID).bind(0, id)).singleOrEmpty());
    }

    @Override
    public Flux<Batch> list(String ownerKeyId, String afterId, int limit) {
        if (limit <= 0) {
            return Flux.error(new IllegalArgumentException("limit: " + limit + " (expected: > 0)"));
        }
        return database.withConnection(connection -> {
            Statement statement;
            int next = 0;
            if (ownerKeyId == null) {
                statement = connection.createStatement(afterId == null ? LIST_UNOWNED : LIST_UNOWNED_AFTER);
            } else {
                statement = connection.createStatement(afterId == null ? LIST_OWNED : LIST_OWNED_AFTER);
                statement.bind(next++, ownerKeyId);
            }
            if (afterId != null) {
                for (int i = 0; i < CURSOR_MARKERS; i++) {
                    statement.bind(next++, afterId);
                }
            }
            return BatchRows.select(statement.bind(next, limit));
        });
    }

    @Override
    public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
        return LeaseClaims.claim(database, CLAIMS, owner, now, lease, limit, maxAttempts);
    }

    @Override
    public Flux<Batch> findExhausted(Instant now, int maxAttempts, int limit) {
        Objects.requireNonNull(now, "now");
        return database.withConnection(connection -> BatchRows.select(connection.createStatement(EXHAUSTED)
                .bind(0, now.toEpochMilli())
                .bind(1, maxAttempts)
                .bind(2, limit)));
    }

    @Override
    public Mono<Boolean> readsFile(String fileId) {
        Objects.requireNonNull(fileId, "fileId");
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(READS_FILE).bind(0, fileId).execute())
                .concatMap(result -> result.map((row, meta) -> row.get("n", Long.class)))
                .single()
                .map(n -> n > 0));
    }

    @Override
    public Mono<Boolean> renewLease(String id, String owner, Instant until) {
        return LeaseClaims.renew(database, RENEW, id, owner, until);
    }

    @Override
    public Mono<Boolean> update(Batch batch, String owner, BatchStatus expected) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expected, "expected");
        String errors = BatchJson.errors(batch.errors());
        return update(connection -> {
            Statement statement = connection.createStatement(batch.status().isFinal() ? UPDATE_FINAL : UPDATE_RUNNING)
                    .bind(0, batch.status().wire());
            BatchRows.bind(statement, 1, batch.outputFileId(), String.class);
            BatchRows.bind(statement, 2, batch.errorFileId(), String.class);
            BatchRows.bind(statement, 3, BatchRows.millis(batch.inProgressAt()), Long.class);
            BatchRows.bind(statement, 4, BatchRows.millis(batch.expiresAt()), Long.class);
            BatchRows.bind(statement, 5, BatchRows.millis(batch.finalizingAt()), Long.class);
            BatchRows.bind(statement, 6, BatchRows.millis(batch.completedAt()), Long.class);
            BatchRows.bind(statement, 7, BatchRows.millis(batch.failedAt()), Long.class);
            BatchRows.bind(statement, 8, BatchRows.millis(batch.expiredAt()), Long.class);
            BatchRows.bind(statement, 9, BatchRows.millis(batch.cancellingAt()), Long.class);
            BatchRows.bind(statement, 10, BatchRows.millis(batch.cancelledAt()), Long.class);
            return statement.bind(11, errors)
                    .bind(12, batch.counts().total())
                    .bind(13, batch.id())
                    .bind(14, owner)
                    .bind(15, expected.wire());
        }).map(count -> count == 1);
    }

    @Override
    public Mono<Boolean> requestCancel(String id, Instant now) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(now, "now");
        return update(connection -> connection.createStatement(REQUEST_CANCEL)
                .bind(0, now.toEpochMilli())
                .bind(1, id))
                .map(count -> count == 1);
    }

    @Override
    public Mono<Boolean> recordResult(String batchId, LineResult result) {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(result.outputLine(), "outputLine");
        return database.inTransaction(connection -> Database.rowsUpdated(insertResult(connection, batchId, result).execute())
                        .then(Database.rowsUpdated(addResults(connection, batchId, List.of(result)).execute()))
                        .thenReturn(true))
                // The transaction is rolled back by then: a line already recorded changes nothing.
                .onErrorResume(Database::isUniqueViolation, duplicate -> Mono.just(false));
    }

    @Override
    public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
        Objects.requireNonNull(batchId, "batchId");
        if (results.isEmpty()) {
            return Mono.just(0);
        }
        int first = results.stream().mapToInt(LineResult::line).min().orElseThrow();
        int last = results.stream().mapToInt(LineResult::line).max().orElseThrow();
        // One commit for many lines: committing each line on its own is what bounds a batch's pace on PostgreSQL.
        return database.inTransaction(connection -> Flux.from(connection.createStatement(FINISHED_LINES_BETWEEN)
                                .bind(0, batchId).bind(1, first).bind(2, last).execute())
                        .concatMap(result -> result.map((row, meta) -> Rows.required(row, "line", Integer.class)))
                        .collect(Collectors.toSet())
                        .flatMap(recorded -> {
                            Map<Integer, LineResult> fresh = new LinkedHashMap<>();
                            results.stream().filter(result -> !recorded.contains(result.line()))
                                    .forEach(result -> fresh.putIfAbsent(result.line(), result));
                            if (fresh.isEmpty()) {
                                return Mono.just(0);
                            }
                            return Flux.fromIterable(fresh.values())
                                    .concatMap(result -> Database.rowsUpdated(insertResult(connection, batchId, result).execute()))
                                    .then(Database.rowsUpdated(addResults(connection, batchId, fresh.values()).execute()))
                                    .thenReturn(fresh.size());
                        }))
                // Another writer recorded one of these lines meanwhile (the transaction is rolled back): one by one instead.
                .onErrorResume(Database::isUniqueViolation, duplicate -> Flux.fromIterable(results)
                        .concatMap(result -> recordResult(batchId, result))
                        .filter(recordedNow -> recordedNow)
                        .count()
                        .map(Long::intValue));
    }

    private static Statement insertResult(Connection connection, String batchId, LineResult result) {
        TokenCounts tokens = result.tokens() == null ? TokenCounts.NONE : result.tokens();
        Statement insert = connection.createStatement(INSERT_RESULT)
                .bind(0, batchId)
                .bind(1, result.line());
        BatchRows.bind(insert, 2, result.customId(), String.class);
        insert.bind(3, result.error()).bind(4, result.outputLine());
        BatchRows.bind(insert, 5, result.model(), String.class);
        return insert.bind(6, tokens.input()).bind(7, tokens.output());
    }

    private static Statement addResults(Connection connection, String batchId, Collection<LineResult> results) {
        int failed = 0;
        long input = 0;
        long output = 0;
        String model = null;
        for (LineResult result : results) {
            failed += result.error() ? 1 : 0;
            TokenCounts tokens = result.tokens() == null ? TokenCounts.NONE : result.tokens();
            input += tokens.input();
            output += tokens.output();
            model = model != null ? model : result.model();
        }
        Statement add = connection.createStatement(ADD_RESULT)
                .bind(0, results.size() - failed)
                .bind(1, failed)
                .bind(2, input)
                .bind(3, output);
        BatchRows.bind(add, 4, model, String.class);
        return add.bind(5, batchId);
    }

    @Override
    public Flux<Integer> finishedLines(String batchId) {
        Objects.requireNonNull(batchId, "batchId");
        return database.withConnection(connection -> Flux.from(connection.createStatement(FINISHED_LINES)
                        .bind(0, batchId)
                        .fetchSize(FETCH_SIZE)
                        .execute())
                .concatMap(result -> result.map((row, meta) -> Rows.required(row, "line", Integer.class))));
    }

    @Override
    public Flux<LineResult> results(String batchId, boolean errors) {
        Objects.requireNonNull(batchId, "batchId");
        return database.withConnection(connection -> Flux.from(connection.createStatement(RESULTS)
                        .bind(0, batchId)
                        .bind(1, errors)
                        .fetchSize(FETCH_SIZE)
                        .execute())
                .concatMap(result -> result.map((row, meta) -> new LineResult(
                        Rows.required(row, "line", Integer.class),
                        row.get("custom_id", String.class),
                        Rows.required(row, "is_error", Boolean.class),
                        Rows.required(row, "output_line", byte[].class),
                        row.get("model", String.class),
                        new TokenCounts(Rows.required(row, "input_tokens", Long.class),
                                Rows.required(row, "output_tokens", Long.class))))));
    }

    @Override
    public Mono<Long> releaseLeases(String owner) {
        Objects.requireNonNull(owner, "owner");
        return update(connection -> connection.createStatement(RELEASE).bind(0, owner));
    }

    private Mono<Long> update(Function<Connection, Statement> statement) {
        return database.withConnectionMono(connection -> Database.rowsUpdated(statement.apply(connection).execute()));
    }
}
