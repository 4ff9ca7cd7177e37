package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;

import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a request body into memory, refusing with 413 as soon as it exceeds the configured limit. Before reading, it
 * lets the {@link CallerCheck} refuse the caller from its headers; while reading, it holds the body's bytes in the
 * {@link InflightBodies} budget (503 when that is full) and gives the body the read timeout to arrive whole (408).
 */
public final class BodyReader {

    // A first guess for a body that declares no length; the buffer doubles as it fills.
    private static final int UNDECLARED_CAPACITY = 1024;
    private static final int MAX_INITIAL_CAPACITY = 64 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long maxBytes;
    private final InflightBodies inflight;
    private final CallerCheck callers;
    private final Duration readTimeout;
    private final Scheduler timer;

    /** A reader with no budget, caller check or timeout besides the body limit. */
    public BodyReader(long maxBytes) {
        this(maxBytes, new InflightBodies(Long.MAX_VALUE), CallerCheck.none(), Duration.ofDays(1), Schedulers.parallel());
    }

    /**
     * @param readTimeout how long the whole body may take to arrive
     * @param timer       where the read timeout is kept
     */
    public BodyReader(long maxBytes, InflightBodies inflight, CallerCheck callers, Duration readTimeout, Scheduler timer) {
        this.maxBytes = maxBytes;
        this.inflight = inflight;
        this.callers = callers;
        this.readTimeout = readTimeout;
        this.timer = timer;
    }

    /** The same reader with another caller check. */
    public BodyReader withCallerCheck(CallerCheck check) {
        return new BodyReader(maxBytes, inflight, check, readTimeout, timer);
    }

    public Mono<byte[]> read(HttpServerRequest request) {
        return inflight.closingOnFailure(callers.check(request).then(Mono.deferContextual(context -> {
            InflightBodies.Hold scoped = inflight.holdOf(context);
            if (scoped != null) {
                return readHeld(request, scoped);
            }
            InflightBodies.Hold own = inflight.newHold();
            return readHeld(request, own).doFinally(signal -> own.release());
        })));
    }

    private Mono<byte[]> readHeld(HttpServerRequest request, InflightBodies.Hold hold) {
        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        long length = declared == null ? -1 : parseLength(declared);
        if (length > maxBytes) {
            return Mono.error(tooLarge());
        }
        // A declared body is held whole before its first byte is read, so that a body the budget cannot take is
        // refused at once rather than half read.
        hold.grow(Math.max(length, 0));
        // Sized for the declared body, so that a typical request fills its buffer exactly and it is handed on as is;
        // a large declared length is not trusted with memory before its bytes arrive.
        int capacity = length > 0 ? (int) Math.min(length, MAX_INITIAL_CAPACITY) : UNDECLARED_CAPACITY;
        long expected = length > 0 ? length : maxBytes;
        return request.receive().asByteArray()
                .reduceWith(() -> new Accumulator(capacity, hold), (accumulator, chunk) -> accumulator.append(chunk, expected))
                .map(Accumulator::bytes)
                .timeout(readTimeout, Mono.error(() -> timedOut(readTimeout)), timer);
    }

    /** 408: the body did not arrive within the read timeout. */
    private static GatewayException timedOut(Duration readTimeout) {
        return new GatewayException(408, "invalid_request_error", "request_timeout", null,
                "The request body did not arrive within " + readTimeout.toSeconds() + " seconds (server.read_timeout_seconds).");
    }

    private GatewayException tooLarge() {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the limit of " + maxBytes + " bytes (server.max_body_bytes).");
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A growing byte buffer, its capacity held in the budget; one per request, fed in order by {@code reduceWith}. */
    private final class Accumulator {
        private final InflightBodies.Hold hold;
        private byte[] buffer;
        private int length;

        Accumulator(int capacity, InflightBodies.Hold hold) {
            this.hold = hold;
            this.buffer = new byte[capacity];
        }

        /** @param expected the declared length, or the limit for a body that declared none */
        Accumulator append(byte[] chunk, long expected) {
            if (length + (long) chunk.length > maxBytes) {
                throw tooLarge();
            }
            if (length + chunk.length > buffer.length) {
                long needed = length + (long) chunk.length;
                int grown = (int) Math.min(Math.min(Math.max(expected, needed), MAX_ARRAY), Math.max(buffer.length * 2L, needed));
                hold.grow(grown - hold.bytes());
                buffer = Arrays.copyOf(buffer, grown);
            }
            System.arraycopy(chunk, 0, buffer, length, chunk.length);
            length += chunk.length;
            return this;
        }

        byte[] bytes() {
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }
    }
}
