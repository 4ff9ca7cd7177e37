package dev.sluice.benchmarks.jmh;

import dev.sluice.core.sse.SseDecoder;
import dev.sluice.core.sse.SseEvent;
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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events as a relayed stream sees them: a 64-event OpenAI chunk stream decoded from network reads
 * of arbitrary size ({@link SseDecoder}), and the same events encoded back ({@link SseEvent#encode}).
 * Scores are per whole stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseBenchmark {

    static final int EVENTS = 64;

    private List<byte[]> reads;
    private List<SseEvent> events;

    @Setup
    public void setUp() {
        events = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < EVENTS; i++) {
            SseEvent event = SseEvent.data("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token" + i + " \"},\"finish_reason\":null}]}");
            events.add(event);
            wire.writeBytes(event.encode());
        }
        events.add(SseEvent.data(SseEvent.DONE));
        wire.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        // Reads that do not line up with events, as TCP delivers them: 700 bytes at a time.
        byte[] all = wire.toByteArray();
        reads = new ArrayList<>();
        for (int at = 0; at < all.length; at += 700) {
            reads.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + 700)));
        }
    }

    @Benchmark
    public void decodeStream(Blackhole sink) {
        SseDecoder decoder = new SseDecoder();
        for (byte[] read : reads) {
            sink.consume(decoder.decode(read));
        }
    }

    @Benchmark
    public void encodeStream(Blackhole sink) {
        for (SseEvent event : events) {
            sink.consume(event.encode());
        }
    }
}
