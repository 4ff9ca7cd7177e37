package dev.sluice.core.internal.resilience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyCircuitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void opensAfterTheThresholdOfFailuresInARow() {
        KeyCircuit circuit = new KeyCircuit();

        assertThat(circuit.failed(0, 3, 30 * SECOND)).isFalse();
        assertThat(circuit.failed(0, 3, 30 * SECOND)).isFalse();
        assertThat(circuit.available(0)).isTrue();
        assertThat(circuit.failed(0, 3, 30 * SECOND)).isTrue();

        assertThat(circuit.available(29 * SECOND)).isFalse();
        assertThat(circuit.tryAcquire(29 * SECOND)).isFalse();
    }

    @Test
    void aSuccessBreaksTheRow() {
        KeyCircuit circuit = new KeyCircuit();
        circuit.failed(0, 2, SECOND);
        circuit.succeeded();

        assertThat(circuit.failed(0, 2, SECOND)).isFalse();
        assertThat(circuit.available(0)).isTrue();
    }

    @Test
    void letsOneProbeThroughOnceTheCoolDownIsOver() {
        KeyCircuit circuit = new KeyCircuit();
        circuit.failed(0, 1, 30 * SECOND);

        assertThat(circuit.tryAcquire(30 * SECOND)).isTrue();
        assertThat(circuit.tryAcquire(30 * SECOND)).as("a second call while the probe runs").isFalse();

        circuit.succeeded();
        assertThat(circuit.tryAcquire(31 * SECOND)).isTrue();
    }

    @Test
    void aFailedProbeOpensItAgain() {
        KeyCircuit circuit = new KeyCircuit();
        circuit.failed(0, 1, 30 * SECOND);
        circuit.tryAcquire(30 * SECOND);

        assertThat(circuit.failed(30 * SECOND, 5, 30 * SECOND)).isTrue();
        assertThat(circuit.available(59 * SECOND)).isFalse();
        assertThat(circuit.available(60 * SECOND)).isTrue();
    }

    @Test
    void anAbandonedProbeLetsTheNextCallProbe() {
        KeyCircuit circuit = new KeyCircuit();
        circuit.failed(0, 1, 30 * SECOND);
        circuit.tryAcquire(30 * SECOND);

        circuit.abandoned(31 * SECOND);

        assertThat(circuit.tryAcquire(31 * SECOND)).isTrue();
    }

    @Test
    void aRefusedKeyLeavesRotationAtOnce() {
        KeyCircuit circuit = new KeyCircuit();

        assertThat(circuit.open(0, 300 * SECOND)).isTrue();
        assertThat(circuit.available(299 * SECOND)).isFalse();
        assertThat(circuit.open(1, 300 * SECOND)).as("already out").isFalse();
    }
}
