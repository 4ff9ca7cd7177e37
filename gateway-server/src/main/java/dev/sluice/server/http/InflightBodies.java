package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The bytes of request bodies held in memory at once, across every request, kept under
 * {@code server.max_inflight_body_bytes}: a body that would go over is refused with 503 and {@code Retry-After} (413 when
 * it alone is over), so that many large bodies at once cannot exhaust the heap. A request holds its bytes until it ends,
 * however it ends: its body is in use (parsed, forwarded, retried) until then.
 */
public final class InflightBodies {

    /** How long a refused caller is asked to wait: bodies in flight are usually read and answered within that. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    public InflightBodies(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("max_inflight_body_bytes: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    /** The most bytes all bodies may hold at once. */
    public long capacity() {
        return capacity;
    }

    /** The bytes held now. */
    public long held() {
        return held.get();
    }

    /** The handler, with each request given a {@link Hold} that is released when the request ends, however it ends. */
    public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> scoped(
            BiFunction<HttpServerRequest, HttpServerResponse, ? extends Publisher<Void>> handler) {
        return (request, response) -> {
            Hold hold = new Hold(response);
            return Mono.defer(() -> Mono.from(handler.apply(request, response)))
                    .contextWrite(Context.of(Hold.class, hold))
                    .doFinally(signal -> hold.release());
        };
    }

    /**
     * Holds {@code bytes} more for the request in whose context this runs, until it ends (nothing outside a
     * {@link #scoped} request); fails with 503 or 413 as {@link Hold#grow} does.
     */
    public Mono<Void> reserve(long bytes) {
        return Mono.deferContextual(context -> {
            Hold hold = holdOf(context);
            if (hold != null) {
                hold.grow(bytes);
            }
            return Mono.empty();
        });
    }

    /** The request's hold from {@link #scoped}, or {@code null} outside of one. */
    Hold holdOf(ContextView context) {
        return context.getOrDefault(Hold.class, null);
    }

    /** A hold of no request, which its user releases itself. */
    Hold newHold() {
        return new Hold(null);
    }

    /**
     * The reading of a body, which, should it fail, leaves the rest of the body unread: the connection then closes once
     * the refusal is answered, rather than reading on whatever a refused client still sends.
     */
    public <T> Mono<T> closingOnFailure(Mono<T> reading) {
        return Mono.deferContextual(context -> {
            Hold hold = holdOf(context);
            return hold == null ? reading : reading.doOnError(error -> hold.abandonBody());
        });
    }

    private boolean tryReserve(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** The bytes one request holds; released once. */
    final class Hold {

        private final HttpServerResponse response;
        private long bytes;
        private boolean released;

        /** @param response the request's response, or {@code null} outside of a request */
        Hold(HttpServerResponse response) {
            this.response = response;
        }

        /** The body will not be read to its end: the response closes the connection. */
        void abandonBody() {
            if (response != null && !response.hasSentHeaders()) {
                response.keepAlive(false);
            }
        }

        /**
         * Holds {@code more} bytes besides those held already.
         *
         * @throws GatewayException 413 when this request alone would hold more than the capacity, 503 when all requests
         *                          together would
         */
        synchronized void grow(long more) {
            if (released || more <= 0) {
                return;
            }
            if (bytes + more > capacity) {
                throw new GatewayException(413, "invalid_request_error", "request_too_large", null,
                        "Request body is larger than the limit of " + capacity + " bytes (server.max_inflight_body_bytes).");
            }
            if (!tryReserve(more)) {
                throw new Busy();
            }
            bytes += more;
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
                bytes = 0;
            }
        }
    }

    /** 503: the bodies being read already fill the budget; the caller may try again shortly. */
    static final class Busy extends GatewayException {

        Busy() {
            super(503, "server_error", "server_busy", null,
                    "The gateway is reading too many request bodies at once (server.max_inflight_body_bytes); retry shortly.");
        }

        @Override
        public Duration retryAfter() {
            return RETRY_AFTER;
        }
    }
}
