package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.request.Served;
import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.ResilienceEvents;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits, rotations and fallbacks of the engine, on virtual time: nothing here really waits. */
class ResilientCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    private static Provider provider(String name, ProviderConfig.Builder config) {
        return new Provider(config.build(), new ProviderAdapter() {
            @Override
            public Mono<byte[]> call(ProviderCall call) {
                throw new UnsupportedOperationException("the tests send their own calls");
            }

            @Override
            public Flux<SseEvent> stream(ProviderCall call) {
                throw new UnsupportedOperationException("the tests send their own calls");
            }
        });
    }

    private static ProviderConfig.Builder config(String name) {
        return ProviderConfig.builder(name, "openai")
                .requestTimeout(Duration.ofSeconds(60))
                .retry(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8)));
    }

    private static UpstreamStatusException status(int code, Duration retryAfter) {
        return new UpstreamStatusException("p", code, new byte[0], retryAfter);
    }

    private ResilientCalls calls(Provider... providers) {
        // No jitter: random 0 keeps each wait at its exponential value, and picks the first key by weight.
        return new ResilientCalls(List.of(providers), time, ResilienceEvents.NONE, () -> 0);
    }

    private String record(Attempt attempt) {
        String what = attempt.route().provider().name() + "/" + attempt.route().model() + "#" + attempt.number()
                + (attempt.key() == null ? "" : "@" + attempt.key().name());
        attempts.add(what);
        return what;
    }

    @Test
    void waitsTheExponentialBackoffBetweenAttempts() {
        Provider flaky = provider("flaky", config("flaky"));
        ResilientCalls calls = calls(flaky);

        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(flaky, "m")), attempt -> {
                    record(attempt);
                    return attempt.number() < 3 ? Mono.error(status(503, null)) : Mono.just("answer");
                }), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> assertThat(attempts).hasSize(1))
                .thenAwait(Duration.ofMillis(999))
                .then(() -> assertThat(attempts).hasSize(1))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(attempts).hasSize(2))
                .thenAwait(Duration.ofMillis(1999))
                .then(() -> assertThat(attempts).hasSize(2))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(answered -> {
                    assertThat(answered.value()).isEqualTo("answer");
                    assertThat(answered.served()).isEqualTo(new Served("flaky", "m", 0));
                })
                .verifyComplete();
        assertThat(attempts).containsExactly("flaky/m#1", "flaky/m#2", "flaky/m#3");
    }

    @Test
    void retriesA429HonouringRetryAfter() {
        Provider flaky = provider("flaky", config("flaky"));
        ResilientCalls calls = calls(flaky);

        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(flaky, "m")), attempt -> {
                    record(attempt);
                    return attempt.number() == 1 ? Mono.error(status(429, Duration.ofSeconds(7))) : Mono.just("answer");
                }), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(6999))
                .then(() -> assertThat(attempts).hasSize(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void aRetryAfterBeyondTheRequestTimeoutEndsTheRequestAtOnce() {
        Provider flaky = provider("flaky", config("flaky").requestTimeout(Duration.ofSeconds(10)));
        ResilientCalls calls = calls(flaky);
        UpstreamStatusException limited = status(429, Duration.ofSeconds(30));

        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(flaky, "m")), attempt -> {
                    record(attempt);
                    return Mono.<String>error(limited);
                }), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(limited))
                .verify(WAIT);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void aRateLimitedKeyGivesWayToAnotherAtOnce() {
        Provider keyed = provider("keyed", config("keyed")
                .key(ProviderKey.of("first", "sk-1"))
                .key(ProviderKey.of("second", "sk-2")));
        ResilientCalls calls = calls(keyed);

        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(keyed, "m")), attempt -> {
                    record(attempt);
                    return attempt.key().name().equals("first") ? Mono.error(status(429, Duration.ofSeconds(20))) : Mono.just("answer");
                }), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNextCount(1)
                .verifyComplete();
        assertThat(attempts).containsExactly("keyed/m#1@first", "keyed/m#2@second");
    }

    @Test
    void fallsBackInOrderAndAnswersWithThePrimarysFailureWhenAllFail() {
        Provider one = provider("one", config("one").retry(RetryPolicy.NONE));
        Provider two = provider("two", config("two").retry(RetryPolicy.NONE));
        UpstreamStatusException primary = status(503, null);
        ResilientCalls calls = calls(one, two);

        StepVerifier.withVirtualTime(() -> calls.call(List.of(new Route(one, "a"), new Route(two, "b"), new Route(one, "c")), attempt -> {
                    record(attempt);
                    return Mono.<String>error(attempt.fallbackIndex() == 0 ? primary : status(500, null));
                }), () -> time, Long.MAX_VALUE)
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(primary))
                .verify(WAIT);
        assertThat(attempts).containsExactly("one/a#1", "two/b#1", "one/c#1");
    }

    @Test
    void aProviderWhoseKeysAllCoolDownFallsBackAtOnceRatherThanWaitingThemOut() {
        Provider cold = provider("cold", config("cold").key(ProviderKey.of("only", "sk-1"))
                .circuitBreaker(new CircuitBreakerSettings(1, Duration.ofSeconds(30), Duration.ofMinutes(5))));
        Provider backup = provider("backup", config("backup"));
        ResilientCalls calls = calls(cold, backup);
        List<Route> targets = List.of(new Route(cold, "m"), new Route(backup, "b"));
        java.util.function.Function<Attempt, Mono<String>> send = attempt -> {
            record(attempt);
            return attempt.fallbackIndex() == 0 ? Mono.error(status(500, null)) : Mono.just("backup's answer");
        };
        // The one key fails until its circuit opens (the primary's attempts, then the backup answers).
        StepVerifier.withVirtualTime(() -> calls.call(targets, send), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .expectNextCount(1)
                .verifyComplete();
        attempts.clear();

        StepVerifier.withVirtualTime(() -> calls.call(targets, send), () -> time, Long.MAX_VALUE)
                .assertNext(answered -> assertThat(answered.served()).isEqualTo(new Served("backup", "b", 1)))
                .expectComplete()
                .verify(WAIT);
        assertThat(attempts).containsExactly("backup/b#1");
    }

    @Test
    void aStreamIsNeverTriedAgainOnceItsFirstItemWentOn() {
        Provider flaky = provider("flaky", config("flaky"));
        Provider backup = provider("backup", config("backup"));
        UpstreamStatusException cut = status(502, null);
        AtomicReference<Served> served = new AtomicReference<>();
        ResilientCalls calls = calls(flaky, backup);

        StepVerifier.withVirtualTime(() -> calls.stream(List.of(new Route(flaky, "m"), new Route(backup, "b")), attempt -> {
                    record(attempt);
                    return Flux.concat(Flux.just("first"), Flux.error(cut));
                }, served::set), () -> time, Long.MAX_VALUE)
                .expectNext("first")
                .expectErrorSatisfies(error -> assertThat(error).isSameAs(cut))
                .verify(WAIT);
        assertThat(attempts).containsExactly("flaky/m#1");
        assertThat(served.get()).isEqualTo(new Served("flaky", "m", 0));
    }

    @Test
    void aStalledStreamFailsAfterItsIdleTimeout() {
        Provider flaky = provider("flaky", config("flaky").streamIdleTimeout(Duration.ofSeconds(30)));
        ResilientCalls calls = calls(flaky);

        StepVerifier.withVirtualTime(() -> calls.stream(List.of(new Route(flaky, "m")),
                        attempt -> Flux.concat(Flux.just("first"), Flux.never()), served -> { }), () -> time, Long.MAX_VALUE)
                .expectNext("first")
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorMessage("stream from provider 'flaky' was silent for 30 s (stream_idle_timeout_seconds)")
                .verify(WAIT);
    }
}
