package dev.sluice.core.format.gemini;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;

/**
 * Gemini {@code generateContent} bodies and {@code streamGenerateContent?alt=sse} streams to and from the canonical
 * chat model. The model and whether to stream are in Gemini's URL, not its body: the body carries neither.
 *
 * <p>Gemini gives function calls no id: ids {@code call_<n>} are synthesised on decode, {@code n} counting the
 * function calls of the body (or stream) from 0, and ids are dropped on encode. A tool result is sent as a
 * {@code functionResponse} named after the tool call with the same id, earlier in the request; its text becomes the
 * {@code response} object when it is a JSON object, otherwise {@code {"result": text}} ({@code {"error": text}} when
 * it is an error). An image given by an http(s) URL cannot be sent inline: it is sent as {@code fileData} with a
 * media type guessed from the URL's extension ({@code image/jpeg} when there is none to go by).
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code safetySettings}, {@code cachedContent},
 * {@code generationConfig} fields other than the token limit, temperature, top-p and stop sequences, thought parts,
 * {@code safetyRatings}, {@code citationMetadata} and the candidates after the first. Usage: canonical input tokens
 * are {@code promptTokenCount} plus {@code toolUsePromptTokenCount}; output tokens include {@code thoughtsTokenCount}.
 */
public final class GeminiChatCodec implements ChatCodec {

    /**
     * Decodes a request whose model and streaming the URL gave, as Gemini's routes do. Function responses are matched
     * to the earliest unanswered function call of the same name.
     */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return decodeRequest(body.bytes(), body.model(), body.stream());
    }

    /** Decodes a {@code generateContent} request body; {@code model} and {@code stream} come from the URL. */
    public ChatRequest decodeRequest(byte[] body, String model, boolean stream) {
        return GeminiChatRequests.decode(body, model, stream);
    }

    /**
     * Encodes a canonical request as a {@code generateContent} body, without the model: tool results become user
     * turns of {@code functionResponse} parts, and consecutive turns of the same Gemini role are merged.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        return GeminiChatRequests.encode(request);
    }

    /** Decodes a {@code GenerateContentResponse}; only the first candidate is kept, thought parts are dropped. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return GeminiChatAnswers.decode(body);
    }

    /** Encodes a canonical answer as a {@code GenerateContentResponse} with one candidate. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        return GeminiChatAnswers.encode(response);
    }

    /** A decoder for one stream; not thread-safe, one per response. */
    @Override
    public GeminiChatStreamDecoder streamDecoder() {
        return new GeminiChatStreamDecoder();
    }

    /** An encoder for one stream; not thread-safe, one per response. */
    @Override
    public GeminiChatStreamEncoder streamEncoder() {
        return new GeminiChatStreamEncoder();
    }
}
