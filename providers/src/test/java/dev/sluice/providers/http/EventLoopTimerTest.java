package dev.sluice.providers.http;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopTimerTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final Scheduler fallback = Schedulers.newSingle("fallback");
    private final EventLoopTimer timer = EventLoopTimer.withFallback(fallback);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        fallback.dispose();
    }

    @Test
    void aDelayAskedForOnAnEventLoopFiresOnThatLoop() throws Exception {
        CompletableFuture<Boolean> firedOnLoop = new CompletableFuture<>();
        loop.execute(() -> Mono.delay(Duration.ofMillis(20), timer)
                .subscribe(tick -> firedOnLoop.complete(loop.inEventLoop())));

        assertThat(firedOnLoop.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDelayAskedForOffTheLoopsGoesToTheFallback() throws Exception {
        CompletableFuture<String> firedOn = new CompletableFuture<>();
        Mono.delay(Duration.ofMillis(20), timer).subscribe(tick -> firedOn.complete(Thread.currentThread().getName()));

        assertThat(firedOn.get(5, TimeUnit.SECONDS)).startsWith("fallback");
    }

    @Test
    void disposingCancelsTheTaskTheLoopHolds() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Disposable> scheduled = new CompletableFuture<>();
        loop.execute(() -> scheduled.complete(timer.schedule(() -> ran.set(true), 100, TimeUnit.MILLISECONDS)));
        Disposable task = scheduled.get(5, TimeUnit.SECONDS);

        task.dispose();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(later::countDown, 300, TimeUnit.MILLISECONDS);

        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
        assertThat(task.isDisposed()).isTrue();
    }

    @Test
    void aTimeoutOnAnEventLoopFailsTheSilentSource() throws Exception {
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        loop.execute(() -> Mono.never().timeout(Duration.ofMillis(20), timer).subscribe(value -> { }, failed::complete));

        assertThat(failed.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }
}
