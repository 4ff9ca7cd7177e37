package dev.sluice.core.store.r2dbc;

import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.store.Store;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.core.usage.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import java.nio.file.Path;

import static dev.sluice.core.store.r2dbc.AsyncJobRepositoryContract.LEASE;
import static dev.sluice.core.store.r2dbc.AsyncJobRepositoryContract.T0;
import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static dev.sluice.core.store.r2dbc.StoreFixture.sameAs;
import static dev.sluice.core.store.r2dbc.UsageRepositoryContract.JUNE;
import static org.assertj.core.api.Assertions.assertThat;

/** The embedded file database: created on first open, migrated once, and still there after a restart. */
class H2FileStoreTest {

    @TempDir
    Path directory;

    @Test
    void createsTheDatabaseFileOnFirstOpen() {
        StoreFixture.close(StoreFixture.open(TestDatabases.h2File(directory)));

        assertThat(directory.resolve("sluice.mv.db")).isRegularFile();
    }

    @Test
    void migratesOnceAndNotAgainOnReopen() {
        String url = TestDatabases.h2File(directory);
        StoreFixture.close(StoreFixture.open(url));
        StoreFixture.close(StoreFixture.open(url));

        assertThat(SchemaVersions.of(url)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void keysAndUsageSurviveReopening() {
        String url = TestDatabases.h2File(directory);
        VirtualKey key = StoreFixture.key("kept");
        Store first = StoreFixture.open(url);
        first.virtualKeys().insert(key).then(first.usage().add(key.id(), JUNE, new Usage(1, 2, 3, 4))).block(TIMEOUT);
        StoreFixture.close(first);

        Store second = StoreFixture.open(url);
        try {
            StepVerifier.create(second.virtualKeys().findByName("kept")).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
            StepVerifier.create(second.usage().find(key.id(), JUNE)).expectNext(new Usage(1, 2, 3, 4)).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(second);
        }
    }

    @Test
    void jobsAndTheirLeasesSurviveReopening() {
        String url = TestDatabases.h2File(directory);
        AsyncJob first = AsyncJobRepositoryContract.pending(T0);
        AsyncJob second = AsyncJobRepositoryContract.pending(T0.plusSeconds(1));
        Store before = StoreFixture.open(url);
        before.jobs().insert(second).then(before.jobs().insert(first)).block(TIMEOUT);
        AsyncJob claimed = before.jobs().claim("instance-a", T0.plusSeconds(2), LEASE, 1).single().block(TIMEOUT);
        StoreFixture.close(before);

        Store after = StoreFixture.open(url);
        try {
            StepVerifier.create(after.jobs().findById(first.id())).expectNext(claimed).expectComplete().verify(TIMEOUT);
            StepVerifier.create(after.jobs().findById(second.id())).expectNext(second).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(after);
        }
    }
}
