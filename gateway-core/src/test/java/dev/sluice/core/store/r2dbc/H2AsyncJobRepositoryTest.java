package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.TestDatabases;

/** The job queue on embedded H2, a fresh in-memory database for every test. */
class H2AsyncJobRepositoryTest extends AsyncJobRepositoryContract {

    @Override
    String url() {
        return TestDatabases.h2InMemory();
    }
}
