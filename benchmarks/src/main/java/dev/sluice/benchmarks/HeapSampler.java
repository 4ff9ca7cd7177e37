package dev.sluice.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the heap in use on a daemon thread and keeps the highest value seen. */
final class HeapSampler {

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapSampler() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static HeapSampler start() {
        System.gc();
        return new HeapSampler();
    }

    /** Stops sampling; the highest heap use seen, in bytes. */
    long stop() {
        running = false;
        thread.interrupt();
        return peak.get();
    }
}
