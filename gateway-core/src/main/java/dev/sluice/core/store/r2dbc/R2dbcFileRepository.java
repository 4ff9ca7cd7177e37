package dev.sluice.core.store.r2dbc;

import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.StoredFile;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Files in the {@code files} table, their content in {@code file_chunks}.
 *
 * <p>Each chunk is written and read by a statement of its own, on a connection borrowed for that statement only:
 * a slow upload or download holds no pooled connection between chunks, and no statement carries more than one
 * chunk. An upload's row is inserted after its last chunk, which is what makes the file visible.
 */
final class R2dbcFileRepository implements FileRepository {

    private static final Logger log = LoggerFactory.getLogger(R2dbcFileRepository.class);

    private static final String COLUMNS = "id, owner_key_id, purpose, filename, bytes, created_at, expires_at, deleted_at";

    private static final String INSERT = "INSERT INTO files (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    private static final String INSERT_CHUNK = "INSERT INTO file_chunks (file_id, seq, data, written_at) VALUES ($1, $2, $3, $4)";

    private static final String ID_IN_USE = "SELECT (SELECT COUNT(*) FROM files WHERE id = $1) "
            + "+ (SELECT COUNT(*) FROM file_chunks WHERE file_id = $2) AS n";

    private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM files WHERE id = $1";

    private static final String LAST_CHUNK = "SELECT MAX(seq) AS last_seq FROM file_chunks WHERE file_id = $1";

    private static final String READ_CHUNK = "SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2";

    private static final String MARK_DELETED = "UPDATE files SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL";

    private static final String ERASE_CHUNKS = "DELETE FROM file_chunks WHERE file_id = $1";

    private static final String ERASE_ROW = "DELETE FROM files WHERE id = $1";

    /** A file a batch still reads does not expire under it: it goes at the first sweep after the batch ends. */
    private static final String EXPIRED = "SELECT id FROM files WHERE expires_at <= $1 AND deleted_at IS NULL "
            + "AND id NOT IN (SELECT input_file_id FROM batches WHERE status IN ('validating', 'in_progress', 'finalizing', 'cancelling'))";

    /** Uploads cut short by a crash: chunks with no file row, none of them written lately (an upload under way writes). */
    private static final String ORPHAN_UPLOADS = "SELECT file_id FROM file_chunks c WHERE NOT EXISTS "
            + "(SELECT 1 FROM files f WHERE f.id = c.file_id) GROUP BY file_id HAVING MAX(COALESCE(written_at, 0)) < $1";

    private static final String PURGE_DELETED = "DELETE FROM files WHERE deleted_at IS NOT NULL AND deleted_at < $1";

    private final Database database;
    private final Clock clock;
    private final int chunkBytes;

    R2dbcFileRepository(Database database, Clock clock) {
        this(database, clock, CHUNK_BYTES);
    }

    /** With another chunk size, for tests that cut many chunks without moving many bytes. */
    R2dbcFileRepository(Database database, Clock clock, int chunkBytes) {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunk_bytes: " + chunkBytes + " (expected: > 0)");
        }
        this.database = database;
        this.clock = clock;
        this.chunkBytes = chunkBytes;
    }

    /**
     * The work runs in a subscription of its own that the caller's cancel does not cut short: a cancel stops the
     * content, lets the statement in flight finish, and only then erases what was written. Cancelling the work itself
     * could let a chunk insert still running on one connection land after the erase on another.
     */
    @Override
    public Mono<StoredFile> create(StoredFile file, Flux<byte[]> content, long maxBytes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            return Mono.error(new IllegalArgumentException("max_bytes: " + maxBytes + " (expected: >= 0)"));
        }
        // Erasing after a failure removes every trace of the id: it must not be another file's.
        Mono<StoredFile> upload = Mono.create(sink -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            Sinks.Empty<Void> stop = Sinks.empty();
            sink.onCancel(() -> {
                cancelled.set(true);
                stop.tryEmitEmpty();
            });
            write(file, content.takeUntilOther(stop.asMono()), maxBytes, cancelled)
                    .contextWrite(sink.contextView())
                    .subscribe(sink::success, sink::error, () -> sink.success());
        });
        return idInUse(file.id()).flatMap(inUse -> inUse
                ? Mono.error(new IllegalArgumentException("id: " + file.id() + " (expected: an id no file has)"))
                : upload);
    }

    private Mono<Boolean> idInUse(String id) {
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(ID_IN_USE).bind(0, id).bind(1, id).execute())
                .concatMap(result -> result.map((row, meta) -> row.get("n", Long.class)))
                .single()
                .map(n -> n > 0));
    }

    private Mono<StoredFile> write(StoredFile file, Flux<byte[]> content, long maxBytes, AtomicBoolean cancelled) {
        String id = file.id();
        AtomicLong total = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        return Rechunker.chunks(content, chunkBytes, maxBytes, total::set)
                // Prefetch 0 and errors at the boundary: one chunk at a time, and a failure waits for the insert in flight.
                .concatMapDelayError(chunk -> insertChunk(id, (int) seq.getAndIncrement(), chunk), false, 0)
                .then(Mono.defer(() -> cancelled.get() ? Mono.error(new CancellationException("upload cancelled"))
                        : insertRow(file.withBytes(total.get()))))
                .flatMap(stored -> cancelled.get() ? Mono.error(new CancellationException("upload cancelled")) : Mono.just(stored))
                .onErrorResume(error -> erase(id)
                        .onErrorResume(cleanup -> {
                            log.warn("Could not erase the partial upload of file {}: {}", id, cleanup.toString());
                            return Mono.empty();
                        })
                        .then(Mono.error(error)));
    }

    private Mono<Long> insertChunk(String id, int seq, byte[] chunk) {
        return update(connection -> connection.createStatement(INSERT_CHUNK).bind(0, id).bind(1, seq).bind(2, chunk)
                .bind(3, clock.millis()));
    }

    private Mono<StoredFile> insertRow(StoredFile file) {
        StoredFile stored = stored(file);
        return update(connection -> {
            Statement statement = connection.createStatement(INSERT)
                    .bind(0, stored.id());
            bind(statement, 1, stored.ownerKeyId(), String.class);
            statement.bind(2, stored.purpose())
                    .bind(3, stored.filename())
                    .bind(4, stored.bytes())
                    .bind(5, stored.createdAt().toEpochMilli());
            bind(statement, 6, millis(stored.expiresAt()), Long.class);
            bind(statement, 7, millis(stored.deletedAt()), Long.class);
            return statement;
        }).thenReturn(stored);
    }

    /** Removes every trace of a file or an upload: its chunks, and its row should it have been inserted. */
    @Override
    public Mono<Void> erase(String id) {
        return database.inTransaction(connection -> execute(connection.createStatement(ERASE_CHUNKS).bind(0, id))
                        .then(execute(connection.createStatement(ERASE_ROW).bind(0, id))))
                .then();
    }

    @Override
    public Mono<StoredFile> findById(String id) {
        Objects.requireNonNull(id, "id");
        return database.withConnectionMono(connection -> select(connection.createStatement(FIND_BY_ID).bind(0, id)).singleOrEmpty());
    }

    @Override
    public Flux<StoredFile> list(String ownerKeyId, String purpose, String afterId, boolean ascending, int limit) {
        if (limit <= 0) {
            return Flux.error(new IllegalArgumentException("limit: " + limit + " (expected: > 0)"));
        }
        if (afterId == null) {
            return page(ownerKeyId, purpose, null, ascending, limit);
        }
        // A cursor that names no file continues after nothing: the listing is empty.
        return findById(afterId).flatMapMany(after -> page(ownerKeyId, purpose, after, ascending, limit));
    }

    private Flux<StoredFile> page(@Nullable String ownerKeyId, @Nullable String purpose, @Nullable StoredFile after, boolean ascending,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM files WHERE deleted_at IS NULL");
        List<Object> binds = new ArrayList<>();
        if (ownerKeyId == null) {
            sql.append(" AND owner_key_id IS NULL");
        } else {
            binds.add(ownerKeyId);
            sql.append(" AND owner_key_id = $").append(binds.size());
        }
        if (purpose != null) {
            binds.add(purpose);
            sql.append(" AND purpose = $").append(binds.size());
        }
        String beyond = ascending ? " > " : " < ";
        if (after != null) {
            long createdAt = after.createdAt().toEpochMilli();
            binds.add(createdAt);
            int first = binds.size();
            binds.add(createdAt);
            binds.add(after.id());
            sql.append(" AND (created_at").append(beyond).append('$').append(first)
                    .append(" OR (created_at = $").append(first + 1).append(" AND id").append(beyond).append('$').append(first + 2).append("))");
        }
        String direction = ascending ? " ASC" : " DESC";
        binds.add(limit);
        sql.append(" ORDER BY created_at").append(direction).append(", id").append(direction).append(" LIMIT $").append(binds.size());
        return database.withConnection(connection -> {
            Statement statement = connection.createStatement(sql.toString());
            for (int i = 0; i < binds.size(); i++) {
                statement.bind(i, binds.get(i));
            }
            return select(statement);
        });
    }

    /**
     * One query per chunk, started only when the subscriber asks for it (prefetch 0), so reading a file of any size
     * holds about one chunk; the chunk count is read first, so a file deleted midway fails the read rather than
     * ending it early as if it were shorter.
     */
    @Override
    public Flux<byte[]> content(String id) {
        Objects.requireNonNull(id, "id");
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(LAST_CHUNK).bind(0, id).execute())
                        .concatMap(result -> result.map((row, meta) -> Optional.ofNullable(row.get("last_seq", Integer.class))))
                        .single())
                .flatMapMany(last -> last.isEmpty() ? Flux.<byte[]>empty()
                        : Flux.range(0, last.get() + 1).concatMap(seq -> readChunk(id, seq), 0));
    }

    private Mono<byte[]> readChunk(String id, int seq) {
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement(READ_CHUNK).bind(0, id).bind(1, seq).execute())
                        .concatMap(result -> result.map((row, meta) -> row.get("data", byte[].class)))
                        .singleOrEmpty())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                        "chunk " + seq + " of file " + id + " is gone: the file was deleted while being read")));
    }

    @Override
    public Mono<Boolean> delete(String id, Instant now) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(now, "now");
        return database.inTransaction(connection -> execute(connection.createStatement(MARK_DELETED).bind(0, now.toEpochMilli()).bind(1, id))
                .flatMap(marked -> marked == 0 ? Mono.just(false)
                        : execute(connection.createStatement(ERASE_CHUNKS).bind(0, id)).thenReturn(true)));
    }

    @Override
    public Mono<Long> deleteExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        return database.withConnection(connection -> Flux.from(connection.createStatement(EXPIRED).bind(0, now.toEpochMilli()).execute())
                        .concatMap(result -> result.map((row, meta) -> row.get("id", String.class))))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> delete(id, now))
                .filter(Boolean::booleanValue)
                .count();
    }

    @Override
    public Mono<Long> eraseOrphanUploads(Instant writtenBefore) {
        Objects.requireNonNull(writtenBefore, "writtenBefore");
        return database.withConnection(connection -> Flux.from(connection.createStatement(ORPHAN_UPLOADS)
                                .bind(0, writtenBefore.toEpochMilli()).execute())
                        .concatMap(result -> result.map((row, meta) -> row.get("file_id", String.class))))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> erase(id).thenReturn(id))
                .count();
    }

    @Override
    public Mono<Long> purgeDeleted(Instant deletedBefore) {
        Objects.requireNonNull(deletedBefore, "deletedBefore");
        return update(connection -> connection.createStatement(PURGE_DELETED).bind(0, deletedBefore.toEpochMilli()));
    }

    private Mono<Long> update(Function<Connection, Statement> statement) {
        return database.withConnectionMono(connection -> execute(statement.apply(connection)));
    }

    private static Mono<Long> execute(Statement statement) {
        return Database.rowsUpdated(statement.execute());
    }

    private static Flux<StoredFile> select(Statement statement) {
        return Flux.from(statement.execute()).concatMap(result -> result.map((row, meta) -> read(row)));
    }

    private static <T> void bind(Statement statement, int index, @Nullable T value, Class<T> type) {
        if (value == null) {
            statement.bindNull(index, type);
        } else {
            statement.bind(index, value);
        }
    }

    private static StoredFile read(Row row) {
        return new StoredFile(
                Rows.required(row, "id", String.class),
                row.get("owner_key_id", String.class),
                Rows.required(row, "purpose", String.class),
                Rows.required(row, "filename", String.class),
                Rows.required(row, "bytes", Long.class),
                Instant.ofEpochMilli(Rows.required(row, "created_at", Long.class)),
                instant(row.get("expires_at", Long.class)),
                instant(row.get("deleted_at", Long.class)));
    }

    /** The file as it reads back: instants are kept to the millisecond. */
    private static StoredFile stored(StoredFile file) {
        return new StoredFile(file.id(), file.ownerKeyId(), file.purpose(), file.filename(), file.bytes(),
                Instant.ofEpochMilli(file.createdAt().toEpochMilli()), toMillis(file.expiresAt()), toMillis(file.deletedAt()));
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
