package dev.sluice.benchmarks;

import dev.sluice.core.Gateway;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRequest;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.request.Caller;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs one large batch through the engine and prints lines per second and the peak heap:
 * {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.BatchThroughput [lines] [store-url|-] [upstream-base-url] [warm-up-lines]}.
 * Without an upstream the lines go to the built-in zero-latency {@code mock} provider; with one (such as the
 * {@link dev.sluice.benchmarks.upstream.MockUpstream} process, {@code http://127.0.0.1:PORT/v1}) they go over HTTP to
 * an {@code openai} provider there, as in production. The input file is generated as a stream, so neither it nor
 * the results ever sit in memory whole. A warm-up batch, when asked for, runs first and is not measured: a gateway
 * that has served for a while has its hot paths compiled, and a fresh JVM spends much of its first seconds compiling.
 */
public final class BatchThroughput {

    private BatchThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path directory = Files.createTempDirectory("sluice-batch-bench");
        String url = args.length > 1 && !args[1].equals("-") ? args[1] : "r2dbc:h2:file:///" + directory.toAbsolutePath().resolve("sluice");
        String upstream = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        int warmUpLines = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Store store = R2dbcStore.open(url, 10).block(Duration.ofSeconds(30));
        Gateway gateway = Gateway.builder()
                .store(store)
                .provider(upstream == null ? ProviderConfig.builder("demo", "mock").build()
                        : ProviderConfig.builder("demo", "openai").baseUrl(upstream).build())
                .batches(32, 1)
                .build();
        String model = upstream == null ? "demo/echo" : "demo/bench-model";
        System.out.printf("batch: %d lines to %s, store %s%n", lines, upstream == null ? "the built-in mock provider" : upstream,
                url.startsWith("r2dbc:h2:") ? "H2 (embedded)" : url.replaceAll("//[^@/]*@", "//"));
        try {
            if (warmUpLines > 0) {
                Batch warmUp = run(gateway, warmUpLines, model);
                System.out.printf("batch: warm-up of %d lines %s, not measured%n", warmUpLines, warmUp.status().wire());
            }
            HeapSampler heap = HeapSampler.start();
            Instant start = Instant.now();
            Batch done = run(gateway, lines, model);
            Duration took = Duration.between(start, Instant.now());
            System.out.printf("batch: %d lines, status %s, completed %d, failed %d%n", lines, done.status().wire(),
                    done.counts().completed(), done.counts().failed());
            System.out.printf("batch: %.0f lines/s over %.1f s (validation, %d calls, output file)%n",
                    lines / (took.toMillis() / 1000.0), took.toMillis() / 1000.0, lines);
            System.out.printf("batch: peak heap in use %d MB (sampled every 20 ms; max heap %d MB)%n", heap.stop() / (1024 * 1024),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        } finally {
            gateway.close().block(Duration.ofSeconds(30));
        }
    }

    /** Uploads a generated input file of {@code lines} lines, then runs it as a batch to its end. */
    private static Batch run(Gateway gateway, int lines, String model) throws InterruptedException {
        Flux<byte[]> content = Flux.range(0, lines).buffer(1000).map(numbers -> chunk(numbers, model));
        StoredFile input = gateway.files().upload(Caller.anonymous(), "bench.jsonl", "batch", null, content).block(Duration.ofMinutes(5));
        Batch batch = gateway.batches().create(Caller.anonymous(),
                new BatchRequest(input.id(), "/v1/chat/completions", "24h", Map.of(), null)).block(Duration.ofSeconds(30));
        Batch done = batch;
        while (!done.status().isFinal()) {
            Thread.sleep(200);
            done = gateway.batches().get(batch.id(), Caller.anonymous()).block(Duration.ofSeconds(30));
        }
        return done;
    }

    private static byte[] chunk(List<Integer> numbers, String model) {
        StringBuilder out = new StringBuilder(numbers.size() * 160);
        for (int i : numbers) {
            out.append("{\"custom_id\":\"req-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",")
                    .append("\"body\":{\"model\":\"").append(model).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"line ").append(i)
                    .append(" of the benchmark\"}]}}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
