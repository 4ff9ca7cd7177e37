package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.TestDatabases;
import dev.sluice.core.testing.TestDatabases.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Files on PostgreSQL, in a database of this class's own; skipped when PostgreSQL is down. */
class PostgresFileRepositoryTest extends FileRepositoryContract {

    private static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            database.drop();
        }
    }

    @Override
    String url() {
        return database.url();
    }
}
