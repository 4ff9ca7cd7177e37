package dev.sluice.core.format.anthropic;

import dev.sluice.core.error.ErrorEnvelope;
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
import java.util.Set;

/** Anthropic's Messages API, and its token counting: the {@code /anthropic} integration routes. */
public final class AnthropicFormat implements WireFormat {

    /** The one instance. */
    public static final AnthropicFormat ANTHROPIC = new AnthropicFormat();

    static final String MESSAGE_STOP = "message_stop";
    static final String ERROR = "error";

    // Anthropic counts cached prompt tokens apart from input_tokens; message_start carries the usage in its message.
    private static final UsageFields USAGE = new UsageFields("usage", Set.of("message"),
            Set.of("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"), Set.of("output_tokens"));
    private static final GeneratedText TEXT = new GeneratedText(Set.of("text", "partial_json", "thinking"));

    private AnthropicFormat() {
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String routePrefix() {
        return "/anthropic";
    }

    @Override
    public Optional<ChatCodec> chat(Operation operation, Clock clock) {
        return operation == Operation.CHAT_COMPLETIONS ? Optional.of(new AnthropicChatCodec()) : Optional.empty();
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

    /** {@code message_stop} when the answer is whole, or an {@code error} event when the provider gave up part way. */
    @Override
    public boolean endsStream(Operation operation, SseEvent event) {
        return MESSAGE_STOP.equals(event.event()) || closesStream(event);
    }

    /**
     * Anthropic closes the stream after an error event; stopping there means a connection left open after one never
     * holds the caller's stream open with it.
     */
    @Override
    public boolean closesStream(SseEvent event) {
        return ERROR.equals(event.event());
    }

    /** {@code {"type":"error","error":{"type","message"}}}. */
    @Override
    public byte[] envelope(GatewayException failure) {
        return JsonBodies.write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "error");
            json.writeObjectFieldStart("error");
            json.writeStringField("type", errorType(failure.status()));
            json.writeStringField("message", ErrorEnvelope.messageOf(failure));
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    @Override
    public SseEvent errorEvent(String envelope) {
        return SseEvent.named(ERROR, envelope);
    }

    /** Anthropic's error {@code type} for an HTTP status. */
    static String errorType(int status) {
        return switch (status) {
            case 400, 405, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
