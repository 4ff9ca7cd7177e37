package dev.sluice.core.format.anthropic;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;

/**
 * Anthropic Messages bodies and named-event streams to and from the canonical chat model.
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code top_k}, {@code metadata}, {@code thinking}
 * and thinking blocks, {@code cache_control}, {@code service_tier}, {@code disable_parallel_tool_use}, and
 * {@code stop_sequence} (which sequence matched). Usage: canonical input tokens include cache reads and cache writes,
 * as OpenAI's prompt tokens do; on encode, cache writes are folded into {@code input_tokens}.
 */
public final class AnthropicChatCodec implements ChatCodec {

    /** Anthropic requires {@code max_tokens}; a canonical request without a limit is sent with this one. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    /** Decodes a Messages request body; what the canonical model cannot express is refused. */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return decodeRequest(body.bytes());
    }

    public ChatRequest decodeRequest(byte[] body) {
        return AnthropicChatRequests.decode(body);
    }

    /**
     * Encodes a canonical request as a Messages body: tool results and the user turn after them share one user
     * message, as Anthropic requires; a request without a token limit gets {@link #DEFAULT_MAX_TOKENS}.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        return AnthropicChatRequests.encode(request);
    }

    /** Decodes a Messages response body; thinking blocks are dropped. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return AnthropicChatAnswers.decode(body);
    }

    /** Encodes a canonical answer as a Messages response body. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        return AnthropicChatAnswers.encode(response);
    }

    /** A decoder for one stream; not thread-safe, one per response. */
    @Override
    public AnthropicChatStreamDecoder streamDecoder() {
        return new AnthropicChatStreamDecoder();
    }

    /** An encoder for one stream; not thread-safe, one per response. */
    @Override
    public AnthropicChatStreamEncoder streamEncoder() {
        return new AnthropicChatStreamEncoder();
    }
}
