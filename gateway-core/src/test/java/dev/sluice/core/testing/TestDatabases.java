package dev.sluice.core.testing;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.Assumptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases for store tests: private H2 databases, and fresh PostgreSQL databases on the local server
 * ({@code postgres@127.0.0.1:5432}, trust authentication), skipped with a reason when that server is down.
 * Shared with other modules through gateway-core's test-jar.
 */
public final class TestDatabases {

    public static final String POSTGRES_HOST = "127.0.0.1";
    public static final int POSTGRES_PORT = 5432;
    public static final String POSTGRES_SKIPPED =
            "PostgreSQL at " + POSTGRES_HOST + ":" + POSTGRES_PORT + " is not reachable; PostgreSQL tests skipped";

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static Boolean reachable;

    private TestDatabases() {
    }

    /** A private in-memory H2 database, gone when its store is closed. */
    public static String h2InMemory() {
        return "r2dbc:h2:mem:///sluice_test_" + suffix();
    }

    /** An H2 file database in {@code directory} (e.g. a JUnit {@code @TempDir}), kept across close and reopen. */
    public static String h2File(Path directory) {
        // After "file:///" comes the path as H2 takes it, here an absolute one starting with '/'.
        return "r2dbc:h2:file:///" + directory.toAbsolutePath().resolve("sluice").toString().replace('\\', '/');
    }

    /** Whether the local PostgreSQL answers; the first time it does not, says so on stderr. */
    public static synchronized boolean postgresReachable() {
        if (reachable == null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(POSTGRES_HOST, POSTGRES_PORT), 1000);
                reachable = true;
            } catch (IOException e) {
                reachable = false;
                System.err.println(POSTGRES_SKIPPED);
            }
        }
        return reachable;
    }

    /** Skips the calling test (or test class) when the local PostgreSQL is not reachable. */
    public static void assumePostgres() {
        Assumptions.assumeTrue(postgresReachable(), POSTGRES_SKIPPED);
    }

    /** Creates a fresh, uniquely named database on the local PostgreSQL; drop it with {@link PostgresDatabase#drop()}. */
    public static PostgresDatabase postgres() {
        assumePostgres();
        String name = "sluice_test_" + suffix();
        admin("CREATE DATABASE " + name);
        return new PostgresDatabase(name);
    }

    /** A database of the local PostgreSQL, by name. */
    public record PostgresDatabase(String name) {

        public String url() {
            return "r2dbc:postgresql://postgres@" + POSTGRES_HOST + ":" + POSTGRES_PORT + "/" + name;
        }

        public void drop() {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) {
        Mono.usingWhen(
                        Mono.from(ConnectionFactories.get(new PostgresDatabase("postgres").url()).create()),
                        connection -> Flux.from(connection.createStatement(sql).execute())
                                .concatMap(Result::getRowsUpdated)
                                .then(),
                        Connection::close)
                .block(ADMIN_TIMEOUT);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }
}
