package dev.sluice.core.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's adaptive buffer allocator takes a short {@code StampedLock} when it grows or frees a magazine, on any
 * event loop; it is bounded and is not I/O, so BlockHound may let it pass. Without this, a test upstream's reply now
 * and then fails with a 500 that the gateway (rightly) retries, and the tests counting upstream calls see one too many.
 */
public final class NettyAllocatorIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    }
}
