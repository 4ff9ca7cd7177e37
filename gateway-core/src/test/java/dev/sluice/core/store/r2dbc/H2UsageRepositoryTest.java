package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.TestDatabases;

/** Usage counters on embedded H2, a fresh in-memory database for every test. */
class H2UsageRepositoryTest extends UsageRepositoryContract {

    @Override
    String url() {
        return TestDatabases.h2InMemory();
    }
}
