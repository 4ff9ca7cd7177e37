package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.TestDatabases;

/** Batches on embedded H2, a fresh in-memory database for every test. */
class H2BatchRepositoryTest extends BatchRepositoryContract {

    @Override
    String url() {
        return TestDatabases.h2InMemory();
    }
}
