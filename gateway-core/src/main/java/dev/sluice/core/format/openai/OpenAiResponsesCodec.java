package dev.sluice.core.format.openai;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.json.Json;

import java.time.Clock;

/**
 * OpenAI Responses API bodies and named-event streams to and from the canonical chat model, so that
 * {@code /v1/responses} reaches providers that only chat.
 *
 * <p>A request whose meaning is kept by OpenAI ({@code previous_response_id}, {@code conversation}, stored
 * {@code prompt}s), built-in tools, {@code item_reference} and other OpenAI-only items, files given by id and
 * structured output formats are refused naming the field. Not carried, so dropped: {@code store}, {@code metadata},
 * {@code parallel_tool_calls}, {@code reasoning}, {@code include}, {@code truncation}, {@code user} and earlier
 * reasoning items. An answer's object does not echo the request's settings: those fields hold their defaults.
 */
public final class OpenAiResponsesCodec implements ChatCodec {

    private final Clock clock;

    /** A codec stamping {@code created_at} on encoded responses from {@code clock}. */
    public OpenAiResponsesCodec(Clock clock) {
        this.clock = clock;
    }

    /** Decodes a Responses request; the model and whether to stream are the body's, as the gateway read them. */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return ResponsesRequests.decode(body.bytes(), body.model(), body.stream());
    }

    @Override
    public byte[] encodeRequest(ChatRequest request) {
        return ResponsesRequests.encode(request);
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return UnreadableAnswerException.decode(() -> ResponsesObjects.decode(Json.parseObject(body, "body")));
    }

    @Override
    public byte[] encodeResponse(ChatResponse response) {
        return ResponsesObjects.encode(response, clock.instant().getEpochSecond());
    }

    @Override
    public EventDecoder streamDecoder() {
        return new ResponsesStreamDecoder();
    }

    @Override
    public EventEncoder streamEncoder() {
        return new ResponsesStreamEncoder(clock);
    }
}
