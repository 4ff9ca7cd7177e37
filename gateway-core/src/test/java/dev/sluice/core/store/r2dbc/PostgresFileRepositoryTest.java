package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files on PostgreSQL, in a database of this class's own; skipped when PostgreSQL is down. */
class PostgresFileRepositoryTest extends FileRepositoryContract {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Override
    String url() {
        return postgres.url();
    }
}
