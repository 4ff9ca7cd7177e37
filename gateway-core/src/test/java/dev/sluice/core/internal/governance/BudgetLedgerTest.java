package dev.sluice.core.internal.governance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetLedgerTest {

    private final BudgetLedger ledger = new BudgetLedger();

    @Test
    void reservesWhileTheEstimatesFitThenRefuses() {
        assertThat(ledger.reserve("k", 0, 0, 40, 100)).isNotNull();
        assertThat(ledger.reserve("k", 0, 0, 40, 100)).isNotNull();

        assertThat(ledger.reserve("k", 0, 0, 40, 100)).as("80 reserved + 40 > 100").isNull();
        assertThat(ledger.reserve("k", 0, 0, 20, 100)).as("exactly the budget fits").isNotNull();
    }

    @Test
    void aReleasedReservationFreesItsShare() {
        Reservation held = ledger.reserve("k", 0, 0, 100, 100);

        assertThat(ledger.reserve("k", 0, 0, 1, 100)).isNull();
        held.end(0);
        assertThat(ledger.reserve("k", 0, 0, 100, 100)).isNotNull();
    }

    @Test
    void aCostSettledAfterTheSpendWasReadStillCounts() {
        Reservation first = ledger.reserve("k", 0, 0, 50, 100);
        long settledBefore = ledger.settledSoFar("k");
        // The first request writes 90 to the store and settles after the second admission read a spend of 0.
        first.end(90);

        assertThat(ledger.reserve("k", 0, settledBefore, 20, 100)).isNull();
        assertThat(ledger.reserve("k", 90, ledger.settledSoFar("k"), 10, 100)).isNotNull();
    }

    @Test
    void aReservationEndsOnce() {
        Reservation held = ledger.reserve("k", 0, 0, 60, 100);

        assertThat(held.end(60)).isTrue();
        assertThat(held.end(0)).isFalse();
        assertThat(ledger.settledSoFar("k")).isEqualTo(60);
    }

    @Test
    void aSpentBudgetRefusesEvenAFreeRequest() {
        assertThat(ledger.reserve("k", 100, 0, 0, 100)).isNull();
        assertThat(ledger.reserve("other", 0, 0, 0, 0)).isNull();
    }

    @Test
    void keysHaveTheirOwnAccounts() {
        assertThat(ledger.reserve("a", 0, 0, 100, 100)).isNotNull();
        assertThat(ledger.reserve("b", 0, 0, 100, 100)).isNotNull();
    }
}
