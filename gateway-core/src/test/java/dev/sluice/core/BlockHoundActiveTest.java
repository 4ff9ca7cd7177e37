package dev.sluice.core;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;

/** BlockHound is installed for every test of the suite: a blocking call on a Reactor thread fails. */
class BlockHoundActiveTest {

    @Test
    void blockingOnANonBlockingThreadIsCaught() {
        Mono<Void> sleepy = Mono.<Void>fromRunnable(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(sleepy)
                .expectErrorMatches(error -> error.getClass().getName().equals("reactor.blockhound.BlockingOperationError"))
                .verify(Duration.ofSeconds(5));
    }
}
