package dev.sluice.core.internal.lease;

import dev.sluice.core.ExecutorSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs durable, leased work of one instance with a bounded number of units in flight: claims only for free
 * slots, keeps each running unit's lease renewed (cancelling the unit's work when the lease is lost), sweeps
 * expired units, and on stop hands running units back for another instance or the next start.
 *
 * @param <T> one unit of work, such as an async job or a batch
 */
public final class LeasedExecutor<T> {

    // Claims happen in rounds, one at a time: a round asks the queue only for as many jobs as there are free slots,
    // and only rounds start executions, so the free slots counted at the start of a round can only have grown by its
    // end; no lock is needed for the bound. Rounds are triggered by the poll, by wake() and by every execution that
    // ends; triggers arriving while a round runs collapse into a single next round.

    private static final Logger log = LoggerFactory.getLogger(LeasedExecutor.class);
    private static final Duration MIN_RENEWAL = Duration.ofMillis(1);

    private enum State { NEW, RUNNING, STOPPED }

    private final String what;
    private final LeasedQueue<T> queue;
    private final Worker<T> worker;
    private final Clock clock;
    private final Scheduler timer;
    private final ExecutorSettings settings;
    private final String owner;
    private final Duration renewEvery;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Disposable.Composite executions = Disposables.composite();
    private final Disposable.Swap claimLoop = Disposables.swap();
    private final Disposable.Swap sweepLoop = Disposables.swap();
    private final Sinks.One<Boolean> stopClaiming = Sinks.one();
    private final Sinks.Empty<Void> claimLoopDone = Sinks.empty();
    private final Mono<Void> stop = Mono.defer(this::shutdown).cache();
    /** Set when the claim loop subscribes; a {@code Flux.create} sink, because wake-ups come from any thread at once. */
    private volatile @Nullable FluxSink<Long> wakeUps;

    /**
     * @param what names the units in logs: {@code "jobs"}, {@code "batches"}
     */
    public LeasedExecutor(String what, LeasedQueue<T> queue, Worker<T> worker, Clock clock, Scheduler timer,
                          ExecutorSettings settings, String owner) {
        this.what = Objects.requireNonNull(what, "what");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owner = Objects.requireNonNull(owner, "owner");
        // A third of the lease leaves two renewals' worth of slack for a slow database before the lease lapses.
        Duration third = settings.lease().dividedBy(3);
        this.renewEvery = third.compareTo(MIN_RENEWAL) < 0 ? MIN_RENEWAL : third;
    }

    /**
     * Begins polling (with a first claim right away) and sweeping; idempotent.
     *
     * @throws IllegalStateException when the executor was stopped: an executor runs once
     */
    public void start() {
        State previous = state.compareAndExchange(State.NEW, State.RUNNING);
        if (previous == State.STOPPED) {
            throw new IllegalStateException("executor " + owner + " was stopped (expected: a new executor)");
        }
        if (previous == State.RUNNING) {
            return;
        }
        Flux<Long> ticks = Flux.interval(Duration.ZERO, settings.pollInterval(), timer);
        Flux<Long> wakes = Flux.create(sink -> wakeUps = sink, FluxSink.OverflowStrategy.LATEST);
        claimLoop.update(Flux.merge(ticks, wakes)
                .takeUntilOther(stopClaiming.asMono())
                // concatMap's prefetch of 1 queues one trigger behind the running round; the rest are dropped here,
                // as that queued round serves them. Rounds thus never overlap, and never pile up.
                .onBackpressureDrop()
                .concatMap(trigger -> claimRound(), 1)
                .doFinally(signal -> claimLoopDone.tryEmitEmpty())
                .subscribe());
        sweepLoop.update(Flux.interval(settings.sweepInterval(), settings.sweepInterval(), timer)
                .onBackpressureDrop()
                .concatMap(tick -> sweep(), 1)
                .subscribe());
    }

    /** Work was just queued on this instance: claim now instead of at the next poll. */
    public void wake() {
        FluxSink<Long> sink = wakeUps;
        if (sink != null) {
            sink.next(0L);
        }
    }

    /**
     * Stops claiming and sweeping, cancels running work and hands it back to the queue, so that another
     * instance or the next start runs it. Lazy, like every Mono; completes when done.
     */
    public Mono<Void> stop() {
        return stop;
    }

    /** Units running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Stops at once without handing work back, as a crashed instance would; for tests of taking work over. */
    public void crash() {
        state.set(State.STOPPED);
        claimLoop.dispose();
        sweepLoop.dispose();
        executions.dispose();
    }

    private Mono<Void> claimRound() {
        return Mono.defer(() -> {
                    int free = settings.maxConcurrency() - inFlight.get();
                    if (free <= 0 || state.get() != State.RUNNING) {
                        return Mono.<Void>empty();
                    }
                    Instant now = clock.instant();
                    // Launched once the claim is over, so that runners never hold its connection.
                    return abandonExhausted(now)
                            .then(queue.claim(owner, now, settings.lease(), free, settings.maxAttempts()).collectList())
                            .doOnNext(this::launchAll)
                            .then();
                })
                .onErrorResume(error -> {
                    log.warn("Claiming {} failed; trying again at the next poll", what, error);
                    return Mono.empty();
                });
    }

    /** Units out of attempts are ended before claiming, so that each reaches a final state in bounded time. */
    private Mono<Void> abandonExhausted(Instant now) {
        return Mono.defer(() -> queue.abandon(now, settings.maxAttempts()))
                .doOnNext(abandoned -> {
                    if (abandoned > 0) {
                        log.warn("{} {} failed: their leases lapsed after {} attempts", abandoned, what, settings.maxAttempts());
                    }
                })
                .onErrorResume(error -> {
                    log.warn("Failing {} out of attempts failed; trying again at the next poll", what, error);
                    return Mono.empty();
                })
                .then();
    }

    private void launchAll(List<T> claimed) {
        claimed.forEach(this::launch);
    }

    private void launch(T unit) {
        if (state.get() != State.RUNNING) {
            // Stopping: the unit is handed back with the others.
            return;
        }
        Disposable.Swap slot = Disposables.swap();
        if (!executions.add(slot)) {
            return;
        }
        inFlight.incrementAndGet();
        slot.update(Mono.defer(() -> worker.work(unit))
                .takeUntilOther(leaseLost(unit))
                .onErrorResume(error -> {
                    log.warn("Work on one of the {} failed; it runs again once its lease lapses", what, error);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    inFlight.decrementAndGet();
                    executions.remove(slot);
                    wake();
                })
                .subscribe());
    }

    /** Emits once a renewal is refused; a renewal that errors (database briefly down) is tried again next time. */
    private Mono<Boolean> leaseLost(T unit) {
        return Flux.interval(renewEvery, renewEvery, timer)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> queue.renew(unit, owner, clock.instant().plus(settings.lease())))
                        .onErrorResume(error -> {
                            log.warn("Renewing a lease on one of the {} failed; trying again", what, error);
                            return Mono.just(true);
                        }), 1)
                .filter(renewed -> !renewed)
                .next()
                .doOnNext(lost -> log.debug("One of the {} lost its lease; its work was cancelled", what));
    }

    private Mono<Void> sweep() {
        return Mono.defer(() -> queue.sweep(clock.instant()))
                .doOnNext(deleted -> log.debug("Swept {} expired {}", deleted, what))
                .onErrorResume(error -> {
                    log.warn("Sweeping expired {} failed; trying again at the next sweep", what, error);
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> shutdown() {
        if (state.getAndSet(State.STOPPED) != State.RUNNING) {
            return Mono.empty();
        }
        sweepLoop.dispose();
        stopClaiming.tryEmitValue(true);
        // The round under way is let finish, so that no claim lands after the leases are handed back.
        return claimLoopDone.asMono()
                .then(Mono.fromRunnable(executions::dispose))
                .then(Mono.defer(() -> queue.release(owner)))
                .doOnNext(released -> log.info("Executor {} stopped; {} running {} handed back", owner, released, what))
                .then();
    }
}
