package dev.sluice.core.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for one test class, created before its tests and dropped after them; the
 * class's tests are skipped, with the reason, when PostgreSQL is down. Register it as a static field:
 * {@code @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();}
 */
public final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {

    private TestDatabases.PostgresDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabases.postgres();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.drop();
            database = null;
        }
    }

    /** The database's R2DBC URL. */
    public String url() {
        return database.url();
    }
}
