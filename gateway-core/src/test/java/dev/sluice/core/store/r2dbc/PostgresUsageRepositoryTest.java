package dev.sluice.core.store.r2dbc;

import dev.sluice.core.testing.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Usage;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.util.UUID;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;

/** The same contract on PostgreSQL, in a database of this class's own; skipped when PostgreSQL is down. */
class PostgresUsageRepositoryTest extends UsageRepositoryContract {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @Override
    String url() {
        return postgres.url();
    }

    @Test
    void concurrentAddsFromTwoInstancesLoseNoIncrement() {
        String key = UUID.randomUUID().toString();
        Store other = StoreFixture.open(url());
        try {
            Flux<Void> first = Flux.range(0, 200).flatMap(i -> store().usage().add(key, JUNE, new Usage(1, 10, 3, 7)), 16);
            Flux<Void> second = Flux.range(0, 200).flatMap(i -> other.usage().add(key, JUNE, new Usage(1, 10, 3, 7)), 16);

            StepVerifier.create(Flux.merge(first, second).then()).expectComplete().verify(TIMEOUT);

            StepVerifier.create(store().usage().find(key, JUNE)).expectNext(new Usage(400, 4_000, 1_200, 2_800)).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(other);
        }
    }

    @Test
    void usageSurvivesReopening() {
        String key = UUID.randomUUID().toString();
        store().usage().add(key, JULY, new Usage(5, 6, 7, 8)).block(TIMEOUT);
        StoreFixture.close(store());

        Store reopened = StoreFixture.open(url());
        try {
            StepVerifier.create(reopened.usage().find(key, JULY)).expectNext(new Usage(5, 6, 7, 8)).expectComplete().verify(TIMEOUT);
        } finally {
            StoreFixture.close(reopened);
        }
    }
}
