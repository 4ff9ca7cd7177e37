package dev.sluice.server.http;

import dev.sluice.core.format.WireFormat;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.sse.SseEvent;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays a stream of events to the caller. The 200 is committed only when the engine hands over the stream, which it
 * does once the first event arrived, so a failure before it is an ordinary error response; a failure after it becomes
 * a final in-band event.
 * Every event is flushed on its own, and cancelling the response (the caller left) cancels the source. The response
 * says who serves the stream ({@link ServedHeaders}).
 */
public final class SseResponder {

    private final ErrorResponder errors;
    private final AtomicInteger open = new AtomicInteger();

    public SseResponder(ErrorResponder errors) {
        this.errors = errors;
    }

    /** Streams being relayed now, from their request to their last event. */
    public int openStreams() {
        return open.get();
    }

    /**
     * @param format the caller's wire format, which says how a failure is told: before the first event as an error
     *               response, after it as a final event ({@code event: error} for OpenAI and Anthropic, an unnamed
     *               event carrying the error object for Gemini)
     */
    public Mono<Void> send(HttpServerResponse response, Mono<GatewayStream> stream, WireFormat format) {
        return stream
                .flatMap(served -> {
                    // Before the headers go out: their overhead header excludes the time upstream so far.
                    ExchangeReport.of(response).follow(served);
                    ServedHeaders.on(response, served.served())
                            .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                            .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                            .header("X-Accel-Buffering", "no");
                    Flux<SseEvent> withFinalError = served.events().onErrorResume(error -> Mono.just(errorEvent(error, format)));
                    return response.send(withFinalError.map(event -> Unpooled.wrappedBuffer(event.encode())), buffer -> true).then();
                })
                .onErrorResume(error -> errors.send(response, error, format))
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> open.decrementAndGet());
    }

    private SseEvent errorEvent(Throwable error, WireFormat format) {
        String envelope = new String(errors.envelope(error, format), StandardCharsets.UTF_8);
        return format.errorEvent(envelope);
    }
}
