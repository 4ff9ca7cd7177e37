package dev.sluice.benchmarks.jmh;

import dev.sluice.core.format.RequestBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fast path of a same-format request: reading the caller's body once ({@link RequestBody#parse}) and
 * rewriting only its {@code model} (and, for streams, asking for the usage chunk) for the provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FastPathBenchmark {

    /** Body size in bytes: a short prompt, and a long conversation. */
    @Param({"1024", "65536"})
    public int bodyBytes;

    private byte[] unary;
    private byte[] stream;

    @Setup
    public void setUp() {
        unary = Fixtures.openAiChat("openai/gpt-4o-mini", bodyBytes, false);
        stream = Fixtures.openAiChat("openai/gpt-4o-mini", bodyBytes, true);
    }

    @Benchmark
    public RequestBody parse() {
        return RequestBody.parse(unary);
    }

    @Benchmark
    public byte[] parseAndRewriteModel() {
        return RequestBody.parse(unary).forUpstream("gpt-4o-mini", false);
    }

    @Benchmark
    public byte[] parseAndRewriteStreamAskingUsage() {
        return RequestBody.parse(stream).forUpstream("gpt-4o-mini", true);
    }
}
