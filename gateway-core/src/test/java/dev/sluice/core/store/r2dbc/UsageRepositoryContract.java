package dev.sluice.core.store.r2dbc;

import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.UUID;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;

/** What every database must do for usage counters; subclasses say which database. */
abstract class UsageRepositoryContract {

    static final Instant JUNE = Instant.parse("2025-06-01T00:00:00Z");
    static final Instant JULY = Instant.parse("2025-07-01T00:00:00Z");

    private Store store;
    private UsageRepository usage;

    abstract String url();

    Store store() {
        return store;
    }

    @BeforeEach
    void openStore() {
        store = StoreFixture.open(url());
        usage = store.usage();
    }

    @AfterEach
    void closeStore() {
        StoreFixture.close(store);
    }

    @Test
    void findsZeroWhenNothingWasRecorded() {
        StepVerifier.create(usage.find(UUID.randomUUID().toString(), JUNE)).expectNext(Usage.ZERO).expectComplete().verify(TIMEOUT);
    }

    @Test
    void addsExactSums() {
        String key = UUID.randomUUID().toString();

        usage.add(key, JUNE, new Usage(1, 100, 20, 1_500))
                .then(usage.add(key, JUNE, new Usage(2, 5, 7, 999_999_999_999L)))
                .block(TIMEOUT);

        StepVerifier.create(usage.find(key, JUNE)).expectNext(new Usage(3, 105, 27, 1_000_000_001_499L)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void keepsPeriodsAndKeysApart() {
        String key = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();

        usage.add(key, JUNE, new Usage(1, 1, 1, 1))
                .then(usage.add(key, JULY, new Usage(2, 2, 2, 2)))
                .then(usage.add(other, JUNE, new Usage(4, 4, 4, 4)))
                .block(TIMEOUT);

        StepVerifier.create(usage.find(key, JUNE)).expectNext(new Usage(1, 1, 1, 1)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(usage.find(key, JULY)).expectNext(new Usage(2, 2, 2, 2)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(usage.find(other, JUNE)).expectNext(new Usage(4, 4, 4, 4)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void concurrentAddsOnOneStoreLoseNoIncrement() {
        String key = UUID.randomUUID().toString();

        StepVerifier.create(Flux.range(0, 400).flatMap(i -> usage.add(key, JUNE, new Usage(1, 10, 3, 7)), 16).then())
                .expectComplete()
                .verify(TIMEOUT);

        StepVerifier.create(usage.find(key, JUNE)).expectNext(new Usage(400, 4_000, 1_200, 2_800)).expectComplete().verify(TIMEOUT);
    }
}
