package dev.sluice.core.store.r2dbc;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobStatus;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Function;

/**
 * Jobs in the {@code async_jobs} table.
 *
 * <p>Claiming is portable compare-and-set: read the ids of a few more candidates than wanted, then for each an
 * {@code UPDATE} whose {@code WHERE} repeats the claimable condition. Both databases re-check that condition against
 * the latest committed row when two updates race, so exactly one of them changes the row; a count of 1 means the
 * job is ours. The same goes for renew, finish and cancel, which name the state they expect to change.
 */
final class R2dbcAsyncJobRepository implements AsyncJobRepository {

    private static final String COLUMNS = "id, operation, owner_key_id, request, default_provider, status, created_at, "
            + "started_at, completed_at, result_ttl_ms, expires_at, status_code, result, error, lease_owner, "
            + "lease_expires_at, attempts";

    private static final String INSERT = "INSERT INTO async_jobs (" + COLUMNS + ") "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM async_jobs WHERE id = $1";

    /**
     * Which jobs may be claimed at {@code now} with fewer than a number of attempts: the same condition in the
     * candidate query and in the claim itself. A pending job has always attempts to spare (a graceful release gives
     * its attempt back); a processing one whose lease lapsed has them only while it has not used them all.
     */
    private static final String CLAIMABLE = "(status = 'pending' OR (status = 'processing' AND lease_expires_at < %s "
            + "AND attempts < %s))";

    private static final String CANDIDATES = "SELECT id FROM async_jobs WHERE " + CLAIMABLE.formatted("$1", "$2")
            + " ORDER BY created_at, id LIMIT $3";

    private static final String CLAIM_ONE = "UPDATE async_jobs SET status = 'processing', lease_owner = $1, "
            + "lease_expires_at = $2, started_at = COALESCE(started_at, $3), attempts = attempts + 1 "
            + "WHERE id = $4 AND " + CLAIMABLE.formatted("$5", "$6");

    /** Jobs whose holder's lease lapsed after their last attempt: nobody may claim them, they are to be failed. */
    private static final String EXHAUSTED = "SELECT " + COLUMNS + " FROM async_jobs WHERE status = 'processing' "
            + "AND lease_expires_at < $1 AND attempts >= $2 ORDER BY created_at, id LIMIT $3";

    private static final String FIND_CLAIMED = "SELECT " + COLUMNS + " FROM async_jobs "
            + "WHERE id = $1 AND lease_owner = $2 AND status = 'processing'";

    private static final String RENEW = "UPDATE async_jobs SET lease_expires_at = $1 "
            + "WHERE id = $2 AND lease_owner = $3 AND status = 'processing'";

    private static final String FINISH = "UPDATE async_jobs SET status = $1, status_code = $2, result = $3, error = $4, "
            + "completed_at = $5, expires_at = $6 + result_ttl_ms, lease_owner = NULL, lease_expires_at = NULL "
            + "WHERE id = $7 AND lease_owner = $8 AND status = 'processing'";

    private static final String CANCEL = "UPDATE async_jobs SET status = 'cancelled', completed_at = $1, "
            + "expires_at = $2 + result_ttl_ms, lease_owner = NULL, lease_expires_at = NULL "
            + "WHERE id = $3 AND status IN ('pending', 'processing')";

    private static final String DELETE_EXPIRED = "DELETE FROM async_jobs "
            + "WHERE status IN ('completed', 'failed', 'cancelled') AND expires_at <= $1";

    /** A job handed back at a graceful stop did not fail: its attempt is given back. */
    private static final String RELEASE = "UPDATE async_jobs SET status = 'pending', lease_owner = NULL, "
            + "lease_expires_at = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
            + "WHERE lease_owner = $1 AND status = 'processing'";

    private static final String COUNT_BY_STATUS = "SELECT COUNT(*) AS n FROM async_jobs WHERE status = $1";

    private static final LeaseClaims.Statements<AsyncJob> CLAIMS = new LeaseClaims.Statements<>(
            CANDIDATES,
            (connection, claim, id) -> connection.createStatement(CLAIM_ONE)
                        .bind(0, claim.owner())
                        .bind(1, claim.leaseExpiresAt())
                        .bind(2, claim.now())
                        .bind(3, id)
                        .bind(4, claim.now())
                        .bind(5, claim.maxAttempts())
                        .execute(),
            (connection, claim, id) -> select(connection.createStatement(FIND_CLAIMED).bind(0, id).bind(1, claim.owner())),
            Comparator.comparing(AsyncJob::createdAt).thenComparing(AsyncJob::id));

    private final Database database;

    R2dbcAsyncJobRepository(Database database) {
        this.database = database;
    }

    @Override
    public Mono<AsyncJob> insert(AsyncJob job) {
        Objects.requireNonNull(job, "job");
        return database.withConnectionMono(connection -> Database.rowsUpdated(bindInsert(connection.createStatement(INSERT), job).execute()))
                .thenReturn(stored(job));
    }

    @Override
    public Mono<AsyncJob> findById(String id) {
        Objects.requireNonNull(id, "id");
        return database.withConnectionMono(connection -> select(connection.createStatement(FIND_BY_ID).bind(0, id)).singleOrEmpty());
    }

    @Override
    public Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
        return LeaseClaims.claim(database, CLAIMS, owner, now, lease, limit, maxAttempts);
    }

    @Override
    public Flux<AsyncJob> findExhausted(Instant now, int maxAttempts, int limit) {
        Objects.requireNonNull(now, "now");
        return database.withConnection(connection -> select(connection.createStatement(EXHAUSTED)
                .bind(0, now.toEpochMilli())
                .bind(1, maxAttempts)
                .bind(2, limit)));
    }

    @Override
    public Mono<Boolean> renewLease(String id, String owner, Instant until) {
        return LeaseClaims.renew(database, RENEW, id, owner, until);
    }

    @Override
    public Mono<Boolean> finish(String id, String owner, JobStatus status, int statusCode, byte[] result, byte[] error,
                                Instant completedAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(completedAt, "completedAt");
        if (status != JobStatus.COMPLETED && status != JobStatus.FAILED) {
            return Mono.error(new IllegalArgumentException("status: " + status + " (expected: COMPLETED or FAILED)"));
        }
        return update(connection -> {
            Statement statement = connection.createStatement(FINISH)
                    .bind(0, status.wire())
                    .bind(1, statusCode);
            bind(statement, 2, result, byte[].class);
            bind(statement, 3, error, byte[].class);
            return statement.bind(4, completedAt.toEpochMilli())
                    .bind(5, completedAt.toEpochMilli())
                    .bind(6, id)
                    .bind(7, owner);
        }).map(count -> count == 1);
    }

    @Override
    public Mono<Boolean> cancel(String id, Instant now) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(now, "now");
        return update(connection -> connection.createStatement(CANCEL)
                .bind(0, now.toEpochMilli())
                .bind(1, now.toEpochMilli())
                .bind(2, id))
                .map(count -> count == 1);
    }

    @Override
    public Mono<Long> deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return update(connection -> connection.createStatement(DELETE_EXPIRED).bind(0, now.toEpochMilli()));
    }

    @Override
    public Mono<Long> releaseLeases(String owner) {
        Objects.requireNonNull(owner, "owner");
        return update(connection -> connection.createStatement(RELEASE).bind(0, owner));
    }

    @Override
    public Mono<Long> countByStatus(JobStatus status) {
        Objects.requireNonNull(status, "status");
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(COUNT_BY_STATUS)
                                .bind(0, status.wire())
                                .execute())
                        .concatMap(result -> result.map((row, meta) -> row.get("n", Long.class)))
                        .single());
    }

    private Mono<Long> update(Function<Connection, Statement> statement) {
        return database.withConnectionMono(connection -> Database.rowsUpdated(statement.apply(connection).execute()));
    }

    private static Flux<AsyncJob> select(Statement statement) {
        return Flux.from(statement.execute()).concatMap(result -> result.map((row, meta) -> read(row)));
    }

    private static Statement bindInsert(Statement statement, AsyncJob job) {
        statement.bind(0, job.id());
        statement.bind(1, job.operation());
        bind(statement, 2, job.ownerKeyId(), String.class);
        statement.bind(3, job.request());
        bind(statement, 4, job.defaultProvider(), String.class);
        statement.bind(5, job.status().wire());
        statement.bind(6, job.createdAt().toEpochMilli());
        bind(statement, 7, millis(job.startedAt()), Long.class);
        bind(statement, 8, millis(job.completedAt()), Long.class);
        statement.bind(9, job.resultTtl().toMillis());
        bind(statement, 10, millis(job.expiresAt()), Long.class);
        bind(statement, 11, job.statusCode(), Integer.class);
        bind(statement, 12, job.result(), byte[].class);
        bind(statement, 13, job.error(), byte[].class);
        bind(statement, 14, job.leaseOwner(), String.class);
        bind(statement, 15, millis(job.leaseExpiresAt()), Long.class);
        return statement.bind(16, job.attempts());
    }

    private static <T> void bind(Statement statement, int index, @Nullable T value, Class<T> type) {
        if (value == null) {
            statement.bindNull(index, type);
        } else {
            statement.bind(index, value);
        }
    }

    private static AsyncJob read(Row row) {
        return new AsyncJob(
                row.get("id", String.class),
                row.get("operation", String.class),
                row.get("owner_key_id", String.class),
                row.get("request", byte[].class),
                row.get("default_provider", String.class),
                JobStatus.fromWire(row.get("status", String.class)),
                instant(row.get("created_at", Long.class)),
                instant(row.get("started_at", Long.class)),
                instant(row.get("completed_at", Long.class)),
                Duration.ofMillis(Rows.required(row, "result_ttl_ms", Long.class)),
                instant(row.get("expires_at", Long.class)),
                row.get("status_code", Integer.class),
                row.get("result", byte[].class),
                row.get("error", byte[].class),
                row.get("lease_owner", String.class),
                instant(row.get("lease_expires_at", Long.class)),
                Rows.required(row, "attempts", Integer.class));
    }

    /** The job as it reads back: instants and the TTL are kept to the millisecond. */
    private static AsyncJob stored(AsyncJob job) {
        return new AsyncJob(job.id(), job.operation(), job.ownerKeyId(), job.request(), job.defaultProvider(),
                job.status(), toMillis(job.createdAt()), toMillis(job.startedAt()), toMillis(job.completedAt()),
                Duration.ofMillis(job.resultTtl().toMillis()), toMillis(job.expiresAt()), job.statusCode(),
                job.result(), job.error(), job.leaseOwner(), toMillis(job.leaseExpiresAt()), job.attempts());
    }

    private static @Nullable Long millis(@Nullable Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static @Nullable Instant instant(@Nullable Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static @Nullable Instant toMillis(@Nullable Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
