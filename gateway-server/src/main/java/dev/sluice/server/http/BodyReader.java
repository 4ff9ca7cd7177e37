package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import java.util.Arrays;

/** Reads a request body into memory, refusing with 413 as soon as it exceeds the configured limit. */
public final class BodyReader {

    // A first guess for a body that declares no length; the buffer doubles as it fills.
    private static final int UNDECLARED_CAPACITY = 1024;
    private static final int MAX_INITIAL_CAPACITY = 64 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Mono<byte[]> read(HttpServerRequest request) {
        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        long length = declared == null ? -1 : parseLength(declared);
        if (length > maxBytes) {
            return Mono.error(tooLarge());
        }
        // Sized for the declared body, so that a typical request fills its buffer exactly and it is handed on as is;
        // a large declared length is not trusted with memory before its bytes arrive.
        int capacity = length > 0 ? (int) Math.min(length, MAX_INITIAL_CAPACITY) : UNDECLARED_CAPACITY;
        return request.receive().asByteArray()
                .reduceWith(() -> new Accumulator(capacity), (accumulator, chunk) -> accumulator.append(chunk, maxBytes))
                .map(Accumulator::bytes);
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

    /** A growing byte buffer; one per request, fed in order by {@code reduceWith}. */
    private final class Accumulator {
        private byte[] buffer;
        private int length;

        Accumulator(int capacity) {
            this.buffer = new byte[capacity];
        }

        Accumulator append(byte[] chunk, long limit) {
            if (length + (long) chunk.length > limit) {
                throw tooLarge();
            }
            if (length + chunk.length > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(Math.min(limit, MAX_ARRAY), Math.max(buffer.length * 2L, length + (long) chunk.length)));
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
