package dev.sluice.server.observe;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes access-log lines on a thread of its own, so that an event loop only ever queues a line and never waits for
 * a console or a file. When the writer falls {@code capacity} lines behind, new lines are dropped and counted rather
 * than held: logging must never slow serving down.
 */
public final class AccessLog implements AutoCloseable {

    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Consumer<String> sink;
    private final int capacity;
    private final Runnable dropped;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean idle;

    /**
     * @param sink    receives each line, on the writer thread (it may block)
     * @param dropped told of each line dropped because the writer was behind
     */
    public AccessLog(Consumer<String> sink, int capacity, Runnable dropped) {
        this.sink = sink;
        this.capacity = capacity;
        this.dropped = dropped;
        this.writer = Thread.ofPlatform().name("sluice-access-log").daemon(true).unstarted(this::drain);
        writer.start();
    }

    /** Queues a line; never blocks. */
    public void write(String line) {
        if (closed.get() || size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.run();
            return;
        }
        lines.offer(line);
        if (idle) {
            LockSupport.unpark(writer);
        }
    }

    private void drain() {
        while (!closed.get()) {
            if (!writeQueued()) {
                idle = true;
                if (lines.isEmpty() && !closed.get()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                idle = false;
            }
        }
    }

    /** Writes what is queued; false when there was nothing. */
    private boolean writeQueued() {
        boolean any = false;
        String line;
        while ((line = lines.poll()) != null) {
            size.decrementAndGet();
            any = true;
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                // A broken sink loses log lines, never requests.
            }
        }
        return any;
    }

    /** Stops the writer after it has written every queued line; blocks, so never call it on an event loop. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LockSupport.unpark(writer);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeQueued();
        }
    }
}
