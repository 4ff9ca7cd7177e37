package dev.sluice.providers.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.util.concurrent.TimeUnit;

/**
 * The engine's timer for a server on Netty: a delay asked for on an event loop (every request's timeouts and retry
 * back-offs) is kept by that same loop, so arming and cancelling it take no lock shared with other threads, however
 * many requests are in flight; a delay asked for on any other thread goes to the fallback scheduler. Periodic work
 * and workers always go to the fallback.
 */
public final class EventLoopTimer implements Scheduler {

    private final Scheduler fallback;

    private EventLoopTimer(Scheduler fallback) {
        this.fallback = fallback;
    }

    /** A timer that uses {@code fallback} off event loops; it does not own the fallback and never disposes it. */
    public static EventLoopTimer withFallback(Scheduler fallback) {
        return new EventLoopTimer(fallback);
    }

    @Override
    public Disposable schedule(Runnable task) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop == null ? fallback.schedule(task) : new Scheduled(loop.submit(task));
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop == null ? fallback.schedule(task, delay, unit) : new Scheduled(loop.schedule(task, delay, unit));
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return fallback.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return fallback.now(unit);
    }

    @Override
    public Worker createWorker() {
        return fallback.createWorker();
    }

    @Override
    public void init() {
        fallback.init();
    }

    /** A task an event loop holds: disposing it cancels it, from whichever thread. */
    private record Scheduled(Future<?> future) implements Disposable {

        @Override
        public void dispose() {
            future.cancel(false);
        }

        @Override
        public boolean isDisposed() {
            return future.isDone();
        }
    }
}
