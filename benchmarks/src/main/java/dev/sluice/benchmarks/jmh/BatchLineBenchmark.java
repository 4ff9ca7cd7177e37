package dev.sluice.benchmarks.jmh;

import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.files.JsonLines;
import dev.sluice.core.internal.batches.BatchLine;
import dev.sluice.core.internal.batches.BatchValidator;
import dev.sluice.core.internal.batches.ReadLine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reading batch input lines: one line read ({@code BatchLine.read}), and a 1,000-line file split into lines
 * from 64 KiB chunks and validated line by line, as batch creation does. Like the routing and governance
 * benchmarks, it measures engine internals, which no public API exposes one line at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchLineBenchmark {

    static final int LINES = 1000;

    private byte[] line;
    private Flux<byte[]> file;

    @Setup
    public void setUp() {
        line = line(7);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            all.writeBytes(line(i));
            all.write('\n');
        }
        byte[] bytes = all.toByteArray();
        int chunk = 64 * 1024;
        file = Flux.range(0, (bytes.length + chunk - 1) / chunk)
                .map(i -> java.util.Arrays.copyOfRange(bytes, i * chunk, Math.min(bytes.length, (i + 1) * chunk)));
    }

    private static byte[] line(int i) {
        return ("{\"custom_id\":\"req-" + i + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"openai/gpt-4o-mini\","
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Classify the sentiment.\"},{\"role\":\"user\",\"content\":\"Line " + i
                + " of the batch: the service was quick and friendly.\"}],\"max_tokens\":16}}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public ReadLine parseLine() {
        return BatchLine.read(7, line);
    }

    /** Score per file of 1,000 lines. */
    @Benchmark
    public void splitAndValidateFile(Blackhole sink) {
        BatchValidator validator = new BatchValidator("/v1/chat/completions", BatchLimits.DEFAULTS);
        JsonLines.lines(file).doOnNext(read -> validator.check(read.number(), read.bytes())).blockLast();
        sink.consume(validator.errors());
    }
}
