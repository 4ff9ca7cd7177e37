package dev.sluice.core.internal.ids;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdsTest {

    @Test
    void idsAreCanonicalVersion4Uuids() {
        for (int i = 0; i < 1_000; i++) {
            String id = JobIds.next();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
        }
    }

    @Test
    void idsDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(JobIds.next());
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void makingIdsOnANonBlockingThreadDoesNotBlockIt() {
        StepVerifier.create(Flux.range(0, 100).map(i -> JobIds.next()).subscribeOn(Schedulers.parallel()))
                .expectNextCount(100)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
