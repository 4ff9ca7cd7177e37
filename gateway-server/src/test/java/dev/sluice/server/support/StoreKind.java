package dev.sluice.server.support;

import dev.sluice.core.testing.TestDatabases;

/** The two databases every store-backed server test runs on; PostgreSQL is skipped, with the reason, when absent. */
public enum StoreKind {
    H2, POSTGRES;

    /** A fresh, private database of this kind; closing it drops a PostgreSQL database. */
    public Database create() {
        if (this == H2) {
            String url = TestDatabases.h2InMemory();
            return new Database(url, () -> { });
        }
        TestDatabases.assumePostgres();
        TestDatabases.PostgresDatabase database = TestDatabases.postgres();
        return new Database(database.url(), database::drop);
    }

    /**
     * A test database.
     *
     * @param url  its R2DBC URL
     * @param drop what closing it does
     */
    public record Database(String url, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }
}
