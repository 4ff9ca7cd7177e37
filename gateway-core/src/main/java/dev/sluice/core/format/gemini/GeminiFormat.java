package dev.sluice.core.format.gemini;

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

/** Google's Gemini API (generateContent, streamGenerateContent, embedContent, countTokens): the {@code /genai} routes. */
public final class GeminiFormat implements WireFormat {

    /** The one instance. */
    public static final GeminiFormat GEMINI = new GeminiFormat();

    // Gemini counts thinking apart from the answer, and bills both as output.
    private static final UsageFields USAGE = new UsageFields("usageMetadata", Set.of(),
            Set.of("promptTokenCount"), Set.of("candidatesTokenCount", "thoughtsTokenCount"));
    private static final GeneratedText TEXT = new GeneratedText(Set.of("text"));

    private GeminiFormat() {
    }

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public String routePrefix() {
        return "/genai";
    }

    @Override
    public Optional<ChatCodec> chat(Operation operation, Clock clock) {
        return operation == Operation.CHAT_COMPLETIONS ? Optional.of(new GeminiChatCodec()) : Optional.empty();
    }

    @Override
    public Optional<EmbeddingsCodec> embeddings() {
        return Optional.of(new GeminiEmbeddingsCodec());
    }

    /** Gemini names the model in the URL, never in the body. */
    @Override
    public byte[] forward(Operation operation, RequestBody body, String model, boolean stream) {
        return body.forwarded();
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
        return GeminiStreamEnds.endsStream(event);
    }

    @Override
    public OptionalInt streamError(Operation operation, SseEvent event) {
        return InStreamErrors.statusOf(event);
    }

    /** {@code {"error":{"code","message","status"}}}. */
    @Override
    public byte[] envelope(GatewayException failure) {
        return JsonBodies.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeNumberField("code", failure.status());
            json.writeStringField("message", ErrorEnvelope.messageOf(failure));
            json.writeStringField("status", status(failure.status()));
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** Gemini's streams carry an error as a plain data event, as its own servers send one. */
    @Override
    public SseEvent errorEvent(String envelope) {
        return SseEvent.data(envelope);
    }

    /** Google's canonical error {@code status} for an HTTP status. */
    static String status(int status) {
        return switch (status) {
            case 400, 405, 413, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 402 -> "FAILED_PRECONDITION";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503, 529 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
