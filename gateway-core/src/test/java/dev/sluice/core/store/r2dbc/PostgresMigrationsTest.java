package dev.sluice.core.store.r2dbc;

import dev.sluice.core.store.Store;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.core.testing.TestDatabases.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.util.List;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Migrations on PostgreSQL: once per database, even when several instances start together. */
class PostgresMigrationsTest {

    private PostgresDatabase database;

    @BeforeEach
    void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void migratesOnceAndNotAgainOnReopen() {
        StoreFixture.close(StoreFixture.open(database.url()));
        StoreFixture.close(StoreFixture.open(database.url()));

        assertThat(SchemaVersions.of(database.url())).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void twoInstancesStartingTogetherBothOpen() {
        Mono<Store> one = R2dbcStore.open(database.url(), 4).subscribeOn(Schedulers.parallel());
        Mono<Store> two = R2dbcStore.open(database.url(), 4).subscribeOn(Schedulers.parallel());

        List<Store> stores = Mono.zip(one, two, List::of).block(TIMEOUT);
        try {
            assertThat(stores).hasSize(2);
            for (Store store : stores) {
                StepVerifier.create(store.ping()).expectNext(true).expectComplete().verify(TIMEOUT);
            }
            assertThat(SchemaVersions.of(database.url())).containsExactly(1, 2, 3, 4, 5);
        } finally {
            stores.forEach(StoreFixture::close);
        }
    }
}
