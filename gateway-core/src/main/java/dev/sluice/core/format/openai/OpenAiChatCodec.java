package dev.sluice.core.format.openai;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;

import java.time.Clock;

/**
 * OpenAI Chat Completions bodies and {@code chat.completion.chunk} streams to and from the canonical chat model.
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code n} (above 1 it is refused), {@code logprobs},
 * {@code response_format}, {@code seed}, penalties, {@code user}, {@code metadata}, {@code parallel_tool_calls},
 * {@code reasoning_effort}, image {@code detail}, and assistant {@code refusal}. A tool result's error flag has no
 * OpenAI field and is dropped on encode.
 */
public final class OpenAiChatCodec implements ChatCodec {

    private final Clock clock;

    public OpenAiChatCodec() {
        this(Clock.systemUTC());
    }

    /** A codec stamping {@code created} on encoded responses and chunks from {@code clock}. */
    public OpenAiChatCodec(Clock clock) {
        this.clock = clock;
    }

    /** Decodes a Chat Completions request body; what the canonical model cannot express is refused. */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return decodeRequest(body.bytes());
    }

    public ChatRequest decodeRequest(byte[] body) {
        return OpenAiChatRequests.decode(body);
    }

    /**
     * Encodes a canonical request as a Chat Completions body. The token limit goes out as {@code max_tokens}, which
     * every OpenAI-compatible server understands; a streamed request asks for the usage chunk, which accounting needs.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        return OpenAiChatRequests.encode(request);
    }

    /** Decodes a {@code chat.completion} body; only the first choice is kept. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return OpenAiChatAnswers.decode(body);
    }

    /** Encodes a canonical answer as a {@code chat.completion} body with one choice. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        return OpenAiChatAnswers.encode(response, clock.instant().getEpochSecond());
    }

    /** A decoder for one stream; not thread-safe, one per response. */
    @Override
    public OpenAiChatStreamDecoder streamDecoder() {
        return new OpenAiChatStreamDecoder();
    }

    /** An encoder for one stream that sends the usage chunk: accounting reads it, and it is hidden from callers who did not ask. */
    @Override
    public OpenAiChatStreamEncoder streamEncoder() {
        return streamEncoder(true);
    }

    /** An encoder for one stream; with {@code includeUsage} it sends the usage chunk before {@code [DONE]}. */
    public OpenAiChatStreamEncoder streamEncoder(boolean includeUsage) {
        return new OpenAiChatStreamEncoder(clock, includeUsage);
    }
}
