package dev.sluice.benchmarks.load;

import dev.sluice.core.sse.SseDecoder;
import dev.sluice.core.sse.SseEvent;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator of {@code compare.sh}: drives the same requests at any HTTP target (the mock upstream
 * directly, nginx, Sluice) and prints one {@code key=value} line per measurement, for the script to read.
 * <ul>
 *   <li>{@code unary --url U --body JSON --concurrency 1,32,128 --seconds S --warmup-seconds W}: a closed loop of
 *   C requests in flight for S seconds per step (after W seconds of warm-up): request rate, latency percentiles
 *   and errors (a non-2xx status or a failed exchange).</li>
 *   <li>{@code stream --url U --body JSON --requests N --warmup-requests W}: N streaming requests one after the
 *   other: time to the first event and the gaps between events, as the client sees them.</li>
 *   <li>{@code open --url U --body JSON --streams N [--h2c true]}: N streaming requests open at once, each read to
 *   its end: how many completed, the time to each one's first event (p50, p99, worst) and the time until all ended.
 *   Over HTTP/1.1 each stream takes a connection; with {@code --h2c} they share connections, 100 streams to one.</li>
 * </ul>
 * Every run is bounded in time and in count ({@code --max-requests}, default 5,000,000 per step).
 */
public final class LoadDriver {

    private LoadDriver() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: LoadDriver unary|stream --url URL --body JSON [options]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = required(options, "url");
        byte[] body = required(options, "body").getBytes(StandardCharsets.UTF_8);
        LoopResources loops = LoopResources.create("load", 1, true);
        try {
            switch (args[0]) {
                case "unary" -> {
                    for (String step : options.getOrDefault("concurrency", "1").split(",")) {
                        int concurrency = Integer.parseInt(step.trim());
                        System.out.println(unary(loops, url, body, concurrency,
                                Duration.ofMillis((long) (Double.parseDouble(options.getOrDefault("seconds", "10")) * 1000)),
                                Duration.ofMillis((long) (Double.parseDouble(options.getOrDefault("warmup-seconds", "2")) * 1000)),
                                Long.parseLong(options.getOrDefault("max-requests", "5000000"))));
                        System.out.flush();
                    }
                }
                case "stream" -> System.out.println(stream(loops, url, body,
                        Integer.parseInt(options.getOrDefault("requests", "50")),
                        Integer.parseInt(options.getOrDefault("warmup-requests", "10"))));
                case "open" -> System.out.println(OpenStreams.run(loops, url, body,
                        Integer.parseInt(options.getOrDefault("streams", "1000")),
                        Boolean.parseBoolean(options.getOrDefault("h2c", "false"))));
                default -> {
                    System.err.println("LoadDriver: unknown mode " + args[0] + " (expected: unary, stream or open)");
                    System.exit(2);
                }
            }
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("LoadDriver: --" + name + " is required");
            System.exit(2);
        }
        return value;
    }

    private static HttpClient client(LoopResources loops, int connections) {
        ConnectionProvider pool = ConnectionProvider.builder("load").maxConnections(connections)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofSeconds(30)).build();
        return HttpClient.create(pool).runOn(loops)
                .responseTimeout(Duration.ofSeconds(30))
                .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
    }

    /** One worker's results; each worker is one sequential chain, so no locking is needed. */
    private static final class Worker {
        final Samples latencies = new Samples();
        long errors;
        long requests;
    }

    static String unary(LoopResources loops, String url, byte[] body, int concurrency, Duration measured, Duration warmup, long maxRequests) {
        HttpClient client = client(loops, concurrency);
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        long end = warmupEnd + measured.toNanos();
        long perWorker = Math.max(1, maxRequests / concurrency);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(new Worker());
        }
        Flux.fromIterable(workers).flatMap(worker -> Mono.defer(() -> {
                    long start = System.nanoTime();
                    return client.post().uri(url).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                            .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                                    .map(ignored -> response.status().code()))
                            .map(status -> status >= 200 && status < 300)
                            .onErrorResume(error -> Mono.just(false))
                            .doOnNext(ok -> {
                                if (start >= warmupEnd) {
                                    worker.requests++;
                                    worker.latencies.add(System.nanoTime() - start);
                                    if (!ok) {
                                        worker.errors++;
                                    }
                                }
                            });
                })
                .repeat(() -> System.nanoTime() < end && worker.requests < perWorker), concurrency)
                .then().block(measured.plus(warmup).plusSeconds(60));
        double seconds = Math.min(measured.toNanos(), Math.max(1, System.nanoTime() - warmupEnd)) / 1e9;
        Samples all = new Samples();
        long errors = 0;
        for (Worker worker : workers) {
            all.addAll(worker.latencies);
            errors += worker.errors;
        }
        all.sorted();
        return String.format(Locale.ROOT, "mode=unary concurrency=%d requests=%d errors=%d rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f",
                concurrency, all.size(), errors, all.size() / seconds, all.percentileMs(50), all.percentileMs(90), all.percentileMs(99),
                all.percentileMs(100));
    }

    static String stream(LoopResources loops, String url, byte[] body, int requests, int warmupRequests) {
        HttpClient client = client(loops, 1);
        Samples firstEvent = new Samples();
        Samples gaps = new Samples();
        long[] errors = {0};
        long[] events = {0};
        for (int i = 0; i < warmupRequests + requests; i++) {
            boolean measure = i >= warmupRequests;
            long start = System.nanoTime();
            List<Long> arrivals = new ArrayList<>();
            SseDecoder decoder = new SseDecoder();
            Integer status = client.post().uri(url).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                    .response((response, content) -> content.asByteArray().doOnNext(chunk -> {
                        long now = System.nanoTime();
                        for (SseEvent ignored : decoder.decode(chunk)) {
                            arrivals.add(now);
                        }
                    }).then(Mono.just(response.status().code())))
                    .onErrorReturn(-1)
                    .blockLast(Duration.ofSeconds(60));
            if (!measure) {
                continue;
            }
            if (status == null || status != 200 || arrivals.isEmpty()) {
                errors[0]++;
                continue;
            }
            events[0] += arrivals.size();
            firstEvent.add(arrivals.get(0) - start);
            for (int e = 1; e < arrivals.size(); e++) {
                gaps.add(arrivals.get(e) - arrivals.get(e - 1));
            }
        }
        firstEvent.sorted();
        gaps.sorted();
        return String.format(Locale.ROOT, "mode=stream requests=%d errors=%d events=%d ttft_p50_ms=%.3f ttft_p99_ms=%.3f gap_mean_ms=%.3f gap_p50_ms=%.3f gap_p99_ms=%.3f",
                requests, errors[0], events[0], firstEvent.percentileMs(50), firstEvent.percentileMs(99), gaps.meanMs(),
                gaps.percentileMs(50), gaps.percentileMs(99));
    }
}
