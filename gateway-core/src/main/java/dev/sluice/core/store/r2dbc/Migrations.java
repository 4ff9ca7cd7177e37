package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date with the versioned scripts under {@code db/migration}, recording each
 * applied version in {@code schema_version}, all in one transaction.
 */
final class Migrations {

    /** In order. Listed here because a classpath directory inside a jar cannot be listed. */
    static final List<String> SCRIPTS = List.of(
            "V1__virtual_keys_and_usage.sql",
            "V2__async_jobs.sql",
            "V3__files.sql",
            "V4__batches.sql",
            "V5__attempts_and_hygiene.sql");

    private static final String CREATE_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER      NOT NULL,
                description VARCHAR(255) NOT NULL,
                applied_at  BIGINT       NOT NULL,
                CONSTRAINT pk_schema_version PRIMARY KEY (version)
            )""";

    private final List<Migration> migrations;
    private final Clock clock;

    Migrations(Clock clock) {
        this.migrations = SCRIPTS.stream().map(Migration::load).toList();
        this.clock = clock;
    }

    /** Applies what is missing; emits the number of migrations applied. */
    Mono<Integer> migrate(Database database) {
        return database.inTransaction(connection -> lock(connection, database.dialect())
                        .then(execute(connection, CREATE_VERSION_TABLE))
                        .then(currentVersion(connection))
                        .flatMap(current -> Flux.fromIterable(migrations)
                                .filter(migration -> migration.version() > current)
                                .concatMap(migration -> apply(connection, migration).thenReturn(migration))
                                .count()
                                .map(Long::intValue)));
    }

    private static Mono<Void> lock(Connection connection, Dialect dialect) {
        // A SELECT's rows must be consumed for the statement to finish.
        return dialect.migrationLock()
                .map(lock -> Flux.from(connection.createStatement(lock).execute()).concatMap(result -> result.map((row, meta) -> 1)).then())
                .orElse(Mono.empty());
    }

    private static Mono<Integer> currentVersion(Connection connection) {
        return Flux.from(connection.createStatement("SELECT MAX(version) AS v FROM schema_version").execute())
                .concatMap(result -> result.map((row, meta) -> {
                    Integer version = row.get("v", Integer.class);
                    return version == null ? 0 : version;
                }))
                .single();
    }

    private Mono<Void> apply(Connection connection, Migration migration) {
        return Flux.fromIterable(migration.statements())
                .concatMap(sql -> execute(connection, sql))
                .then(Flux.from(connection
                                .createStatement("INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)")
                                .bind(0, migration.version())
                                .bind(1, migration.description())
                                .bind(2, clock.millis())
                                .execute())
                        .concatMap(Result::getRowsUpdated)
                        .then());
    }

    private static Mono<Void> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).then();
    }

    /** One script: {@code V<version>__<description>.sql}, statements separated by semicolons at line ends. */
    record Migration(int version, String description, List<String> statements) {

        static Migration load(String file) {
            int separator = file.indexOf("__");
            if (!file.startsWith("V") || separator < 0 || !file.endsWith(".sql")) {
                throw new IllegalStateException("migration: " + file + " (expected: V<version>__<description>.sql)");
            }
            int version = Integer.parseInt(file.substring(1, separator));
            String description = file.substring(separator + 2, file.length() - ".sql".length()).replace('_', ' ');
            return new Migration(version, description, statements(read("db/migration/" + file)));
        }

        private static String read(String resource) {
            try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration script missing from the classpath: " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Splits a script into statements; neither driver takes several statements in one prepared call. */
        static List<String> statements(String script) {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : script.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                    continue;
                }
                current.append(line).append('\n');
                if (trimmed.endsWith(";")) {
                    String statement = current.toString().strip();
                    statements.add(statement.substring(0, statement.length() - 1));
                    current.setLength(0);
                }
            }
            if (!current.toString().isBlank()) {
                statements.add(current.toString().strip());
            }
            return List.copyOf(statements);
        }
    }
}
