package dev.sluice.benchmarks.load;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many streams open at once, as an LLM gateway holds them: each caller sends a streaming request and reads it to its
 * end. Reports how many completed with a 200 and at least one event, the time to each one's first bytes, and how
 * long the whole took. Bounded: every stream must end within ten minutes.
 */
final class OpenStreams {

    /** HTTP/2 streams one client connection carries. */
    private static final int STREAMS_PER_CONNECTION = 100;
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private OpenStreams() {
    }

    static String run(LoopResources loops, String url, byte[] body, int streams, boolean h2c) {
        ConnectionProvider.Builder pool = ConnectionProvider.builder("open-streams").maxConnections(streams)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(LIMIT);
        if (h2c) {
            pool.allocationStrategy(Http2AllocationStrategy.builder().maxConnections(streams / STREAMS_PER_CONNECTION + 1)
                    .maxConcurrentStreams(STREAMS_PER_CONNECTION).build());
        }
        ConnectionProvider connections = pool.build();
        HttpClient client = HttpClient.create(connections).runOn(loops)
                .protocol(h2c ? HttpProtocol.H2C : HttpProtocol.HTTP11)
                .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        Samples firstBytes = new Samples();
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        try {
            Flux.range(0, streams)
                    .flatMap(i -> Mono.defer(() -> {
                        long sent = System.nanoTime();
                        long[] first = {0};
                        return client.post().uri(url).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                                .response((response, content) -> content.doOnNext(chunk -> {
                                    if (first[0] == 0) {
                                        first[0] = System.nanoTime();
                                    }
                                }).then(Mono.just(response.status().code())))
                                .next()
                                .doOnNext(status -> {
                                    if (status == 200 && first[0] != 0) {
                                        completed.incrementAndGet();
                                        synchronized (firstBytes) {
                                            firstBytes.add(first[0] - sent);
                                        }
                                    }
                                })
                                .onErrorResume(error -> Mono.empty());
                    }), streams)
                    .then()
                    .block(LIMIT);
        } finally {
            connections.disposeLater().block(Duration.ofSeconds(30));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        firstBytes.sorted();
        return String.format(Locale.ROOT, "mode=open streams=%d completed=%d errors=%d ttfe_p50_ms=%.1f ttfe_p99_ms=%.1f ttfe_max_ms=%.1f seconds=%.1f",
                streams, completed.get(), streams - completed.get(), firstBytes.percentileMs(50), firstBytes.percentileMs(99),
                firstBytes.percentileMs(100), seconds);
    }
}
