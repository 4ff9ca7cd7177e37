package dev.sluice.providers.http;

import dev.sluice.core.provider.ConnectionPoolStats;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * One provider's connection pool as the engine's metrics see it: Reactor Netty hands each pool (one per remote
 * address) to this registrar instead of to a global registry, and the view sums their connections when read. Calls
 * under way (waiting for room included) are counted by the client itself, the same way for HTTP/1.1 and HTTP/2.
 */
final class PoolView implements ConnectionProvider.MeterRegistrar, ConnectionPoolStats {

    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    void callStarted() {
        calls.incrementAndGet();
    }

    void callEnded() {
        calls.decrementAndGet();
    }

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        pools.put(id + remoteAddress, metrics);
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        pools.remove(id + remoteAddress);
    }

    @Override
    public int open() {
        return sum(ConnectionPoolMetrics::allocatedSize);
    }

    @Override
    public int idle() {
        return sum(ConnectionPoolMetrics::idleSize);
    }

    @Override
    public int pending() {
        return sum(ConnectionPoolMetrics::pendingAcquireSize);
    }

    @Override
    public int activeStreams() {
        return calls.get();
    }

    private int sum(ToIntFunction<ConnectionPoolMetrics> value) {
        return pools.values().stream().mapToInt(value).sum();
    }
}
