package dev.sluice.core.store.r2dbc;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.DuplicateKeyException;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.routing.ModelPattern;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static dev.sluice.core.store.r2dbc.StoreFixture.sameAs;
import static dev.sluice.core.store.r2dbc.StoreFixture.bareKey;
import static dev.sluice.core.store.r2dbc.StoreFixture.key;
import static dev.sluice.core.store.r2dbc.StoreFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** What every database must do for virtual keys; subclasses say which database. */
abstract class VirtualKeyRepositoryContract {

    private Store store;
    private VirtualKeyRepository keys;

    /** The database for the next test; may be shared by the tests of one class. */
    abstract String url();

    @BeforeEach
    void openStore() {
        store = StoreFixture.open(url());
        keys = store.virtualKeys();
    }

    @AfterEach
    void closeStore() {
        StoreFixture.close(store);
    }

    @Test
    void roundTripsEveryField() {
        VirtualKey key = key(unique("full"));

        StepVerifier.create(keys.insert(key)).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findById(key.id())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void roundTripsEmptyOptionalFields() {
        VirtualKey key = bareKey(unique("bare"));

        keys.insert(key).block(TIMEOUT);

        StepVerifier.create(keys.findById(key.id()))
                .assertNext(found -> {
                    sameAs(key).accept(found);
                    assertThat(found.rateLimit()).isNull();
                    assertThat(found.budget()).isNull();
                    assertThat(found.expiresAt()).isNull();
                    assertThat(found.allowedModels()).isEmpty();
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void roundTripsEveryBudgetResetAndHalfSetRateLimits() {
        for (ResetPeriod period : ResetPeriod.values()) {
            VirtualKey key = withLimits(key(unique("reset-" + period.code())), new RateLimit(null, 500), new Budget(0, period));
            keys.insert(key).block(TIMEOUT);
            StepVerifier.create(keys.findById(key.id())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
        }
        VirtualKey neverResets = withLimits(key(unique("never")), new RateLimit(7, null), new Budget(99.999999, null));
        keys.insert(neverResets).block(TIMEOUT);
        StepVerifier.create(keys.findById(neverResets.id())).assertNext(sameAs(neverResets)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void keepsInstantsToTheMillisecond() {
        VirtualKey precise = new VirtualKey(UUID.randomUUID().toString(), unique("precise"), UUID.randomUUID().toString(), "abcd",
                List.of(), null, null, true, Instant.parse("2030-01-01T00:00:00.123456789Z"), Instant.parse("2025-01-01T00:00:00.999999Z"));

        StepVerifier.create(keys.insert(precise).then(keys.findById(precise.id())))
                .assertNext(found -> {
                    assertThat(found.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
                    assertThat(found.createdAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00.999Z"));
                })
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void findsByValueHashNameAndId() {
        VirtualKey key = key(unique("find"));
        keys.insert(key).block(TIMEOUT);

        StepVerifier.create(keys.findByValueHash(key.valueHash())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findByName(key.name())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findById(key.id())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findsNothingForUnknownKeys() {
        StepVerifier.create(keys.findByValueHash("0".repeat(64))).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findByName(unique("nobody"))).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findById(UUID.randomUUID().toString())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findsAllOrderedByName() {
        String prefix = unique("all");
        VirtualKey b = key(prefix + "-b");
        VirtualKey a = key(prefix + "-a");
        VirtualKey c = bareKey(prefix + "-c");
        keys.insert(b).then(keys.insert(c)).then(keys.insert(a)).block(TIMEOUT);

        StepVerifier.create(keys.findAll().filter(key -> key.name().startsWith(prefix)))
                .assertNext(sameAs(a)).assertNext(sameAs(b)).assertNext(sameAs(c))
                .expectComplete().verify(TIMEOUT);
    }

    @Test
    void refusesASecondKeyWithTheSameName() {
        VirtualKey first = key(unique("taken"));
        keys.insert(first).block(TIMEOUT);

        StepVerifier.create(keys.insert(key(first.name())))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(DuplicateKeyException.class)
                        .hasMessage("a virtual key named " + first.name() + " already exists"))
                .verify(TIMEOUT);
    }

    @Test
    void refusesASecondKeyWithTheSameValue() {
        VirtualKey first = key(unique("value"));
        keys.insert(first).block(TIMEOUT);
        VirtualKey sameValue = new VirtualKey(UUID.randomUUID().toString(), unique("other"), first.valueHash(), first.valueHint(),
                List.of(), null, null, true, null, Instant.now());

        StepVerifier.create(keys.insert(sameValue))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(DuplicateKeyException.class)
                        .hasMessage("a virtual key with that value already exists"))
                .verify(TIMEOUT);
    }

    @Test
    void updatesEveryFieldButIdAndCreatedAt() {
        VirtualKey original = key(unique("update"));
        keys.insert(original).block(TIMEOUT);
        VirtualKey changed = StoreFixture.withValue(new VirtualKey(original.id(), unique("renamed"), original.valueHash(), null,
                List.of(ModelPattern.of("*")), null, new Budget(1, ResetPeriod.DAY), false, null, Instant.parse("2000-01-01T00:00:00Z")),
                "sk-bf-new-value-wxyz");
        VirtualKey expected = new VirtualKey(original.id(), changed.name(), changed.valueHash(), "wxyz", changed.allowedModels(),
                null, changed.budget(), false, null, original.createdAt());

        StepVerifier.create(keys.update(changed)).assertNext(sameAs(expected)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findById(original.id())).assertNext(sameAs(expected)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findByName(original.name())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void updateOfAnUnknownKeyIsEmpty() {
        StepVerifier.create(keys.update(key(unique("ghost")))).expectComplete().verify(TIMEOUT);
    }

    @Test
    void upsertInsertsANewKey() {
        VirtualKey key = key(unique("upsert-new"));

        StepVerifier.create(keys.upsertByName(key)).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findByName(key.name())).assertNext(sameAs(key)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void upsertOfAnExistingNameKeepsItsIdAndCreationTime() {
        VirtualKey original = key(unique("upsert"));
        keys.insert(original).block(TIMEOUT);
        VirtualKey declared = StoreFixture.withValue(withLimits(bareKey(original.name()), new RateLimit(1, 2), null), "sk-bf-rotated-0001");
        VirtualKey expected = new VirtualKey(original.id(), original.name(), declared.valueHash(), "0001", List.of(),
                new RateLimit(1, 2), null, false, null, original.createdAt());

        StepVerifier.create(keys.upsertByName(declared)).assertNext(sameAs(expected)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findByName(original.name())).assertNext(sameAs(expected)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.findById(declared.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void upsertRefusesAValueThatAnotherKeyHas() {
        VirtualKey holder = key(unique("holder"));
        VirtualKey declared = key(unique("declared"));
        keys.insert(holder).then(keys.insert(declared)).block(TIMEOUT);
        VirtualKey stealing = new VirtualKey(declared.id(), declared.name(), holder.valueHash(), holder.valueHint(),
                List.of(), null, null, true, null, declared.createdAt());

        StepVerifier.create(keys.upsertByName(stealing))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(DuplicateKeyException.class)
                        .hasMessage("a virtual key with that value already exists"))
                .verify(TIMEOUT);
        StepVerifier.create(keys.findByName(declared.name())).assertNext(sameAs(declared)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void deletesByNameWithItsUsage() {
        VirtualKey key = key(unique("delete"));
        Instant period = Instant.parse("2025-06-01T00:00:00Z");
        keys.insert(key).then(store.usage().add(key.id(), period, new Usage(1, 2, 3, 4))).block(TIMEOUT);

        StepVerifier.create(keys.deleteByName(key.name())).expectNext(true).expectComplete().verify(TIMEOUT);

        StepVerifier.create(keys.findById(key.id())).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.usage().find(key.id(), period)).expectNext(Usage.ZERO).expectComplete().verify(TIMEOUT);
        StepVerifier.create(keys.deleteByName(key.name())).expectNext(false).expectComplete().verify(TIMEOUT);
    }

    @Test
    void pingsTheDatabase() {
        StepVerifier.create(store.ping()).expectNext(true).expectComplete().verify(TIMEOUT);
    }

    private static VirtualKey withLimits(VirtualKey key, RateLimit rateLimit, Budget budget) {
        return new VirtualKey(key.id(), key.name(), key.valueHash(), key.valueHint(), key.allowedModels(), rateLimit, budget,
                key.active(), key.expiresAt(), key.createdAt());
    }
}
