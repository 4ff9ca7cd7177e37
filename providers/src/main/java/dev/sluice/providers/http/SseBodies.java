package dev.sluice.providers.http;

import dev.sluice.core.sse.SseDecoder;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;

/** Turns a streamed HTTP body into server-sent events as its bytes arrive. */
public final class SseBodies {

    private SseBodies() {
    }

    /**
     * The events of a {@code text/event-stream} body. Each subscription gets its own decoder, since a
     * decoder holds the half-read event; {@code asByteArray} copies and releases every buffer, so nothing
     * leaks when the subscriber cancels.
     */
    public static Flux<SseEvent> events(ByteBufFlux content) {
        return Flux.defer(() -> {
            SseDecoder decoder = new SseDecoder();
            return content.asByteArray().concatMapIterable(decoder::decode);
        });
    }
}
