package dev.sluice.core.format;

import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.sse.SseEvent;

import java.util.List;

/**
 * One wire format's chat shapes to and from the canonical chat model: requests, answers and streams. A request
 * decoded from a caller is refused with an {@link dev.sluice.core.error.InvalidRequestException} naming the field
 * that cannot be expressed; an answer decoded from a provider that is malformed is the provider's fault, a
 * {@link dev.sluice.core.error.UpstreamProtocolException}.
 */
public interface ChatCodec {

    /** Decodes a caller's request; the body's model and streaming flag are the caller's. */
    ChatRequest decodeRequest(RequestBody body);

    byte[] encodeRequest(ChatRequest request);

    ChatResponse decodeResponse(byte[] body);

    byte[] encodeResponse(ChatResponse response);

    /** A decoder for one stream; it keeps that stream's state. */
    EventDecoder streamDecoder();

    /** An encoder for one stream; it keeps that stream's state. */
    EventEncoder streamEncoder();

    /** Turns one wire event into the canonical events it stands for, possibly none. */
    @FunctionalInterface
    interface EventDecoder {
        List<ChatEvent> decode(SseEvent event);
    }

    /** Turns one canonical event into the wire events that say it, possibly none. */
    @FunctionalInterface
    interface EventEncoder {
        List<SseEvent> encode(ChatEvent event);
    }
}
