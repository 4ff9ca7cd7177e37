package dev.sluice.core.format.openai;

import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.EmbeddingsCodec;
import dev.sluice.core.format.GeneratedText;
import dev.sluice.core.format.InStreamErrors;
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
import java.util.function.Predicate;

/**
 * OpenAI's wire format, which every OpenAI-compatible API speaks too: chat completions, completions, responses and
 * embeddings; the {@code /v1} routes and the {@code /openai} integration routes.
 */
public final class OpenAiFormat implements WireFormat {

    /** The one instance. */
    public static final OpenAiFormat OPENAI = new OpenAiFormat();

    // Chat and completions count prompt/completion tokens, responses and embeddings of some servers input/output.
    private static final UsageFields USAGE = new UsageFields("usage", Set.of("response"),
            Set.of("prompt_tokens", "input_tokens"), Set.of("completion_tokens", "output_tokens"));
    private static final GeneratedText TEXT = new GeneratedText(
            Set.of("content", "text", "delta", "arguments", "refusal", "reasoning_content"));

    private OpenAiFormat() {
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String routePrefix() {
        return "/openai";
    }

    @Override
    public Optional<ChatCodec> chat(Operation operation, Clock clock) {
        return switch (operation) {
            case CHAT_COMPLETIONS -> Optional.of(new OpenAiChatCodec(clock));
            case RESPONSES -> Optional.of(new OpenAiResponsesCodec(clock));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<EmbeddingsCodec> embeddings() {
        return Optional.of(new OpenAiEmbeddingsCodec());
    }

    /** A chat or completions stream asks for its usage chunk ({@code stream_options.include_usage}): accounting needs it. */
    @Override
    public byte[] forward(Operation operation, RequestBody body, String model, boolean stream) {
        return body.forUpstream(model, stream && asksUsage(operation));
    }

    /** The usage-only chunk that the gateway asked for on behalf of a caller that did not. */
    @Override
    public Predicate<SseEvent> addedEvents(Operation operation, RequestBody body) {
        return asksUsage(operation) && !body.usageRequested() ? OpenAiFormat::isUsageOnlyChunk : event -> false;
    }

    private static boolean asksUsage(Operation operation) {
        return operation != Operation.RESPONSES;
    }

    /** Whether a chat or completions chunk is the usage-only chunk that {@code include_usage} adds. */
    static boolean isUsageOnlyChunk(SseEvent event) {
        String data = event.data();
        return event.event() == null && (data.contains("\"choices\":[]") || data.contains("\"choices\": []"))
                && USAGE.ofEvent(event).isPresent();
    }

    @Override
    public TokenCounts usage(byte[] answer) {
        return USAGE.ofBody(answer);
    }

    @Override
    public Optional<TokenCounts> usage(SseEvent event) {
        return USAGE.ofEvent(event);
    }

    /** The Responses API repeats the text of its deltas in its other events ({@code *.done}, {@code response.completed}). */
    @Override
    public long generatedChars(SseEvent event) {
        String name = event.event();
        boolean repeats = name != null && name.startsWith("response.") && !name.endsWith(".delta");
        return repeats ? 0 : TEXT.charsOf(event);
    }

    @Override
    public boolean endsStream(Operation operation, SseEvent event) {
        return operation == Operation.RESPONSES ? OpenAiStreamEnds.endsResponse(event) : event.isDone();
    }

    /** The Responses API has error events of its own, which its callers read; chat and completions do not. */
    @Override
    public OptionalInt streamError(Operation operation, SseEvent event) {
        return operation == Operation.RESPONSES ? OptionalInt.empty() : InStreamErrors.statusOf(event);
    }

    /** {@code {"error":{"message","type","param","code"}}}. */
    @Override
    public byte[] envelope(GatewayException failure) {
        return JsonBodies.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("message", ErrorEnvelope.messageOf(failure));
            json.writeStringField("type", failure.type());
            json.writeStringField("param", failure.param());
            json.writeStringField("code", failure.code());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    @Override
    public SseEvent errorEvent(String envelope) {
        return SseEvent.named("error", envelope);
    }

    @Override
    public String toString() {
        return name();
    }
}
