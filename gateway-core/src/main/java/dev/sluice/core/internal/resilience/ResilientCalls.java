package dev.sluice.core.internal.resilience;

import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.request.Served;
import dev.sluice.core.resilience.ResilienceEvents;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Sends one request to its targets (its model, then its fallbacks, in order) until one answers: each target is tried
 * with the rules of {@link RetryRule} (another key, or a retry after a wait, within the provider's
 * {@code max_attempts} and request timeout), skipping keys whose circuit is open; the next target is tried only when
 * the previous one failed for good. When every target fails, the request fails with its own model's failure. A
 * stream is tried again, or falls back, only until its first event has gone on: after that, a failure ends it.
 */
public final class ResilientCalls {

    private static final String ATTEMPT = "upstream attempt";

    private final Map<String, KeyPool> pools = new HashMap<>();
    private final Scheduler timer;
    private final ResilienceEvents events;
    private final RandomGenerator random;

    /** With {@link Randomness#threadLocal()} for backoff jitter and key choice. */
    public ResilientCalls(Collection<Provider> providers, Scheduler timer, ResilienceEvents events) {
        this(providers, timer, events, Randomness.threadLocal());
    }

    /**
     * @param providers every provider a request may be sent to
     * @param timer     the scheduler that waits between attempts and times them out, and whose clock they follow
     * @param events    told of retries, rotations, fallbacks and opened circuits
     * @param random    draws the jitter of backoff waits and the key chosen by weight
     */
    public ResilientCalls(Collection<Provider> providers, Scheduler timer, ResilienceEvents events, RandomGenerator random) {
        for (Provider provider : providers) {
            pools.put(provider.name(), new KeyPool(provider));
        }
        this.timer = Objects.requireNonNull(timer, "timer");
        this.events = Objects.requireNonNull(events, "events");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A unary request: the answer of the first target that gives one, and who that was.
     *
     * @param targets the request's own route first, then its fallbacks
     * @param send    makes one attempt; its failures are the provider's, as {@link RetryRules} reads them
     */
    public <T> Mono<Answered<T>> call(List<Route> targets, Function<Attempt, Mono<T>> send) {
        return unary(targets, 0, null, send);
    }

    /**
     * A streaming request: the items of the first target that starts streaming. {@code onServed} hears who serves it
     * just before its first item goes on.
     */
    public <T> Flux<T> stream(List<Route> targets, Function<Attempt, Flux<T>> send, Consumer<Served> onServed) {
        return Flux.defer(() -> streamed(targets, 0, null, send, onServed, new boolean[1]));
    }

    private <T> Mono<Answered<T>> unary(List<Route> targets, int index, Throwable primaryFailure, Function<Attempt, Mono<T>> send) {
        Route route = targets.get(index);
        Served served = new Served(route.provider().name(), route.model(), index);
        return Mono.defer(() -> {
                    TargetTries tries = tries(route, index);
                    return Mono.defer(tries::begin)
                            .flatMap(attempt -> started(tries, send, attempt)
                                        // Named, so that the timeout need not work a name out of the chain per call.
                                        .name(ATTEMPT)
                                        .timeout(tries.remaining(), timer)
                                        .onErrorMap(TimeoutException.class, timeout -> tries.requestTimedOut())
                                        .doOnSuccess(answer -> tries.succeeded())
                                        .doOnError(tries::failed)
                                        .doOnCancel(tries::abandoned))
                            .retryWhen(Retry.from(signals -> signals.concatMap(signal -> tries.next(signal.failure()))));
                })
                .map(answer -> new Answered<>(answer, served))
                .onErrorResume(failure -> {
                    Throwable primary = index == 0 ? failure : primaryFailure;
                    if (!RetryRules.fallsBack(failure) || index + 1 >= targets.size()) {
                        return Mono.error(primary);
                    }
                    fellBack(route, targets.get(index + 1), index + 1, failure);
                    return unary(targets, index + 1, primary, send);
                });
    }

    private <T> Flux<T> streamed(List<Route> targets, int index, Throwable primaryFailure, Function<Attempt, Flux<T>> send,
                                 Consumer<Served> onServed, boolean[] started) {
        Route route = targets.get(index);
        Served served = new Served(route.provider().name(), route.model(), index);
        return Flux.defer(() -> {
                    TargetTries tries = tries(route, index);
                    return Mono.defer(tries::begin)
                            .flatMapMany(attempt -> started(tries, send, attempt)
                                        .name(ATTEMPT)
                                        // Before the first item the whole request's time applies (the adapter's
                                        // first-byte timeout is usually shorter); after it, the idle timeout too.
                                        .timeout(Mono.delay(tries.remaining(), timer),
                                                item -> Mono.delay(tries.idleAllowance(), timer),
                                                Flux.defer(() -> Flux.error(tries.timedOut())))
                                        .doOnNext(item -> {
                                            if (!tries.emitted()) {
                                                tries.firstItem();
                                                started[0] = true;
                                                onServed.accept(served);
                                            }
                                        })
                                        .doOnError(tries::failed)
                                        .doOnCancel(() -> {
                                            if (!tries.emitted()) {
                                                tries.abandoned();
                                            }
                                        }))
                            .retryWhen(Retry.from(signals -> signals.concatMap(signal -> tries.next(signal.failure()))));
                })
                .onErrorResume(failure -> {
                    if (started[0]) {
                        return Flux.error(failure);
                    }
                    Throwable primary = index == 0 ? failure : primaryFailure;
                    if (!RetryRules.fallsBack(failure) || index + 1 >= targets.size()) {
                        return Flux.error(primary);
                    }
                    fellBack(route, targets.get(index + 1), index + 1, failure);
                    return streamed(targets, index + 1, primary, send, onServed, started);
                });
    }

    /** The attempt's call; one that cannot even be made (a body that does not translate) hands its key back. */
    private static <P> P started(TargetTries tries, Function<Attempt, P> send, Attempt attempt) {
        try {
            return send.apply(attempt);
        } catch (RuntimeException e) {
            tries.abandoned();
            throw e;
        }
    }

    private TargetTries tries(Route route, int index) {
        KeyPool pool = pools.get(route.provider().name());
        if (pool == null) {
            throw new IllegalArgumentException("provider " + route.provider().name() + " is not one of this engine's");
        }
        return new TargetTries(route, index, pool, timer, events, random);
    }

    private void fellBack(Route from, Route to, int index, Throwable failure) {
        events.onFallback(from.provider().name() + "/" + from.model(), to.provider().name() + "/" + to.model(), index, failure);
    }
}
