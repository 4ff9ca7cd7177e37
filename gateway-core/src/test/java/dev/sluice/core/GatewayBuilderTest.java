package dev.sluice.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder refuses what could never work when it builds, naming the bad value and what was expected. */
class GatewayBuilderTest {

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(() -> Gateway.builder().resultTtl(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("result_ttl: PT0S (expected: > 0 and at most PT720H)");
        assertThatThrownBy(() -> Gateway.builder().maxFileBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max_file_bytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> Gateway.builder().batches(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lines_per_batch: 0 (expected: > 0)");
        assertThatThrownBy(() -> Gateway.builder().batches(1, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(expected: > 0)");
    }
}
