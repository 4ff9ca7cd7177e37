package dev.sluice.testformat;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.EmbeddingsCodec;
import dev.sluice.core.format.GeneratedText;
import dev.sluice.core.format.JsonBodies;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.UsageFields;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A made-up wire format, to show that a format is one package and one registration: requests
 * {@code {"model","prompt","max_tokens","stream"}}, answers {@code {"model","text","used":{"in","out"}}}, streams of
 * {@code {"text"}} events closed by an {@code end} event carrying {@code used}, errors {@code {"failure":{"status","says"}}}.
 */
public final class PlainFormat implements WireFormat {

    public static final PlainFormat PLAIN = new PlainFormat();

    static final String END = "end";
    static final String FAILURE = "failure";

    private static final UsageFields USAGE = new UsageFields("used", Set.of(), Set.of("in"), Set.of("out"));
    private static final GeneratedText TEXT = new GeneratedText(Set.of("text"));

    private PlainFormat() {
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String routePrefix() {
        return "/plain";
    }

    @Override
    public Optional<ChatCodec> chat(Operation operation, Clock clock) {
        return operation == Operation.CHAT_COMPLETIONS ? Optional.of(new PlainChatCodec()) : Optional.empty();
    }

    @Override
    public Optional<EmbeddingsCodec> embeddings() {
        return Optional.empty();
    }

    @Override
    public byte[] forward(Operation operation, RequestBody body, String model, boolean stream) {
        return body.withModel(model);
    }

    @Override
    public TokenCounts usage(byte[] answer) {
        return USAGE.ofBody(answer);
    }

    @Override
    public Optional<TokenCounts> usage(SseEvent event) {
        return USAGE.ofEvent(event);
    }

    @Override
    public long generatedChars(SseEvent event) {
        return TEXT.charsOf(event);
    }

    @Override
    public boolean endsStream(Operation operation, SseEvent event) {
        return END.equals(event.event());
    }

    @Override
    public OptionalInt streamError(Operation operation, SseEvent event) {
        return FAILURE.equals(event.event()) ? OptionalInt.of(502) : OptionalInt.empty();
    }

    @Override
    public byte[] envelope(GatewayException failure) {
        return JsonBodies.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart(FAILURE);
            json.writeNumberField("status", failure.status());
            json.writeStringField("says", failure.getMessage());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    @Override
    public SseEvent errorEvent(String envelope) {
        return SseEvent.named(FAILURE, envelope);
    }
}
