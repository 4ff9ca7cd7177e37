package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.TestDatabases;

/** Virtual keys on embedded H2, a fresh in-memory database for every test. */
class H2VirtualKeyRepositoryTest extends VirtualKeyRepositoryContract {

    @Override
    String url() {
        return TestDatabases.h2InMemory();
    }
}
