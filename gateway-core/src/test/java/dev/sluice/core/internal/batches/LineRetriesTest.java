package dev.sluice.core.internal.batches;

import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.internal.resilience.ResilientCalls;
import dev.sluice.core.internal.resilience.RetryRule;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tries of a batch line, on virtual time, next to a live call's: the same failure is retried after the same wait
 * by both, from the same injected randomness; nothing here really waits.
 */
class LineRetriesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Every draw is 0.5: each backoff is shortened by an eighth. */
    private static final RandomGenerator HALF = () -> Long.MIN_VALUE;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Clock clock = new VirtualClock(time);
    /** Virtual milliseconds at which each try started. */
    private final List<Long> tries = new CopyOnWriteArrayList<>();

    private static UpstreamStatusException status(int code, Duration retryAfter) {
        return new UpstreamStatusException("p", code, new byte[0], retryAfter);
    }

    /** A line whose first {@code failures} tries fail with what {@code failure} gives, then answer. */
    private Mono<String> line(int failures, Supplier<Throwable> failure, Instant deadline) {
        return Mono.defer(() -> {
            tries.add(time.now(TimeUnit.MILLISECONDS));
            return tries.size() <= failures ? Mono.<String>error(failure.get()) : Mono.just("answer");
        }).retryWhen(LineRetries.until(deadline, clock, time, RetryRule.forBatchLines(HALF)));
    }

    /** Virtual milliseconds at which each attempt of a live call started, on a virtual time of its own. */
    private static List<Long> liveCallTries(int failures, Supplier<Throwable> failure) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        Provider provider = new Provider(ProviderConfig.builder("p", "openai").requestTimeout(Duration.ofMinutes(10))
                .retry(new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(30))).build(), new Unused());
        ResilientCalls calls = new ResilientCalls(List.of(provider), time, ResilienceEvents.NONE, HALF);
        List<Long> starts = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(provider, "m")), attempt -> {
                    starts.add(time.now(TimeUnit.MILLISECONDS));
                    return attempt.number() <= failures ? Mono.<String>error(failure.get()) : Mono.just("answer");
                }), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
        return starts;
    }

    @Test
    void aLineAndALiveCallRetryTheSameFailureAfterTheSameWaits() {
        Supplier<Throwable> overloaded = () -> status(503, null);
        List<Long> live = liveCallTries(3, overloaded);

        StepVerifier.withVirtualTime(() -> line(3, overloaded, clock.instant().plus(Duration.ofHours(24))), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("answer")
                .expectComplete()
                .verify(WAIT);

        // 0.5 s, 1 s and 2 s, each shortened by an eighth of the injected draw.
        assertThat(tries).containsExactly(0L, 437L, 1312L, 3062L);
        assertThat(live).containsExactly(0L, 437L, 1312L, 3062L);
    }

    @Test
    void aLineWaitsOutTheCallersOwnRateLimitAsItAsks() {
        StepVerifier.withVirtualTime(() -> line(1, () -> AccessDeniedException.rateLimited("k", "request", Duration.ofSeconds(2)),
                        clock.instant().plus(Duration.ofHours(24))), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(1999))
                .then(() -> assertThat(tries).hasSize(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("answer")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aLineWhoseProviderCannotBeReachedEndsAtOnceWithThatFailure() {
        UpstreamUnavailableException unreachable = new UpstreamUnavailableException("p", "connection refused", null);

        StepVerifier.withVirtualTime(() -> line(1, () -> unreachable, clock.instant().plus(Duration.ofHours(24))), () -> time, Long.MAX_VALUE)
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(unreachable))
                .verify(WAIT);
        assertThat(tries).hasSize(1);
    }

    @Test
    void aLineWhoseWaitWouldOutlastTheWindowEndsWithTheProvidersAnswer() {
        UpstreamStatusException limited = status(429, Duration.ofMinutes(5));

        StepVerifier.withVirtualTime(() -> line(1, () -> limited, clock.instant().plus(Duration.ofMinutes(4))), () -> time, Long.MAX_VALUE)
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(limited))
                .verify(WAIT);
        assertThat(tries).hasSize(1);
    }

    /** Reads the virtual scheduler's time, so that the window and the waits share one clock. */
    private static final class VirtualClock extends Clock {

        private final VirtualTimeScheduler time;

        VirtualClock(VirtualTimeScheduler time) {
            this.time = time;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
        }
    }

    private static final class Unused implements ProviderAdapter {
        @Override
        public Mono<byte[]> call(ProviderCall call) {
            return Mono.error(new UnsupportedOperationException("the test sends its own calls"));
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            return Flux.error(new UnsupportedOperationException("the test sends its own calls"));
        }
    }
}
