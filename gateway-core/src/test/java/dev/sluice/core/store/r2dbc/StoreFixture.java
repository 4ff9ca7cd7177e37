package dev.sluice.core.store.r2dbc;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.ResetPeriod;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.routing.ModelPattern;
import dev.sluice.core.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening stores and making keys for the store tests. */
final class StoreFixture {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private StoreFixture() {
    }

    static Store open(String url) {
        return R2dbcStore.open(url, 8).block(TIMEOUT);
    }

    static void close(Store store) {
        if (store != null) {
            store.close().block(TIMEOUT);
        }
    }

    /** A unique prefix, so tests sharing one database never see each other's keys. */
    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A key with every field set. */
    static VirtualKey key(String name) {
        String value = VirtualKeyValues.PREFIX + UUID.randomUUID();
        return new VirtualKey(UUID.randomUUID().toString(), name, VirtualKeyValues.hash(value), VirtualKeyValues.hint(value),
                List.of(ModelPattern.of("openai/gpt-4o*"), ModelPattern.of("anthropic/claude-sonnet-4")),
                new RateLimit(60, 100_000), new Budget(12.5, ResetPeriod.MONTH), true,
                Instant.parse("2031-01-02T03:04:05.678Z"), Instant.parse("2025-06-07T08:09:10.123Z"));
    }

    /** A key with every optional field empty. */
    static VirtualKey bareKey(String name) {
        String value = VirtualKeyValues.PREFIX + UUID.randomUUID();
        return new VirtualKey(UUID.randomUUID().toString(), name, VirtualKeyValues.hash(value), VirtualKeyValues.hint(value),
                List.of(), null, null, false, null, Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** Asserts the key equals {@code expected}, model patterns compared by their text (they have no equals). */
    static Consumer<VirtualKey> sameAs(VirtualKey expected) {
        return actual -> assertThat(actual)
                .usingRecursiveComparison()
                .withComparatorForType(Comparator.comparing(ModelPattern::toString), ModelPattern.class)
                .isEqualTo(expected);
    }

    static VirtualKey withValue(VirtualKey key, String value) {
        return new VirtualKey(key.id(), key.name(), VirtualKeyValues.hash(value), VirtualKeyValues.hint(value),
                key.allowedModels(), key.rateLimit(), key.budget(), key.active(), key.expiresAt(), key.createdAt());
    }
}
