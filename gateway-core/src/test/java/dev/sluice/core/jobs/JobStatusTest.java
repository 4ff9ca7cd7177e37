package dev.sluice.core.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStatusTest {

    @Test
    void wireNamesAreLowercase() {
        assertThat(JobStatus.values()).extracting(JobStatus::wire)
                .containsExactly("pending", "processing", "completed", "failed", "cancelled");
    }

    @Test
    void onlyCompletedFailedAndCancelledAreFinal() {
        assertThat(JobStatus.values()).filteredOn(JobStatus::isFinal)
                .containsExactly(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);
    }

    @Test
    void parsesItsWireNamesAndNothingElse() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(JobStatus.fromWire(status.wire())).isEqualTo(status);
        }
        assertThatThrownBy(() -> JobStatus.fromWire("PENDING")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobStatus.fromWire("done")).isInstanceOf(IllegalArgumentException.class);
    }
}
