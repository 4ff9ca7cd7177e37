package dev.sluice.benchmarks.jmh;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.anthropic.AnthropicChatCodec;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.gemini.GeminiChatCodec;
import dev.sluice.core.format.openai.OpenAiChatCodec;
import dev.sluice.core.sse.SseEvent;
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
import org.openjdk.jmh.infra.Blackhole;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Translation between wire formats through the canonical chat model, as a caller of one format served by a
 * provider of another costs it: a request decoded from {@code from} and encoded to {@code to}, an answer the
 * same way, and a 34-event stream event by event. Each format's fixture is the same conversation, produced by
 * that format's own encoder, so every pair translates the same content.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranslationBenchmark {

    /** Source and target wire formats. */
    @Param({"OPENAI>ANTHROPIC", "ANTHROPIC>OPENAI", "OPENAI>GEMINI", "GEMINI>OPENAI", "ANTHROPIC>GEMINI", "GEMINI>ANTHROPIC"})
    public String pair;

    enum Format { OPENAI, ANTHROPIC, GEMINI }

    private static final String MODEL = "bench-model";

    private final OpenAiChatCodec openAi = new OpenAiChatCodec(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    private final AnthropicChatCodec anthropic = new AnthropicChatCodec();
    private final GeminiChatCodec gemini = new GeminiChatCodec();

    private Format from;
    private ChatCodec source;
    private ChatCodec target;
    private byte[] request;
    private byte[] answer;
    private List<SseEvent> stream;

    @Setup
    public void setUp() {
        String[] formats = pair.split(">");
        from = Format.valueOf(formats[0]);
        source = codec(from);
        target = codec(Format.valueOf(formats[1]));
        ChatRequest canonicalRequest = openAi.decodeRequest(Fixtures.openAiChat(MODEL, 1024, false));
        ChatResponse canonicalAnswer = openAi.decodeResponse(Fixtures.openAiAnswer(64));
        request = source.encodeRequest(canonicalRequest);
        answer = source.encodeResponse(canonicalAnswer);
        List<ChatEvent> events = new ArrayList<>();
        events.add(new ChatEvent.Started("chatcmpl-1", MODEL));
        for (int i = 0; i < 32; i++) {
            events.add(new ChatEvent.TextDelta(0, "token" + i + " "));
        }
        events.add(new ChatEvent.Finished(StopReason.END_TURN, new Usage(42, 32, 0, 0)));
        ChatCodec.EventEncoder encoder = source.streamEncoder();
        stream = new ArrayList<>();
        for (ChatEvent event : events) {
            stream.addAll(encoder.encode(event));
        }
        // Fail at set-up, not in the middle of a measurement, when a fixture does not translate.
        translateRequest();
        translateAnswer();
        translateStream(new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
    }

    private ChatCodec codec(Format format) {
        return switch (format) {
            case OPENAI -> openAi;
            case ANTHROPIC -> anthropic;
            case GEMINI -> gemini;
        };
    }

    private ChatRequest decodeRequest(byte[] body) {
        return switch (from) {
            case OPENAI -> openAi.decodeRequest(body);
            case ANTHROPIC -> anthropic.decodeRequest(body);
            // Gemini's model and streaming flag come from the URL, not the body.
            case GEMINI -> gemini.decodeRequest(body, MODEL, false);
        };
    }

    @Benchmark
    public byte[] translateRequest() {
        return target.encodeRequest(decodeRequest(request));
    }

    @Benchmark
    public byte[] translateAnswer() {
        return target.encodeResponse(source.decodeResponse(answer));
    }

    @Benchmark
    public void translateStream(Blackhole sink) {
        ChatCodec.EventDecoder decoder = source.streamDecoder();
        ChatCodec.EventEncoder encoder = target.streamEncoder();
        for (SseEvent event : stream) {
            for (ChatEvent decoded : decoder.decode(event)) {
                for (SseEvent encoded : encoder.encode(decoded)) {
                    sink.consume(encoded.encode());
                }
            }
        }
    }
}
