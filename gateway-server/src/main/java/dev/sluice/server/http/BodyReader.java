package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import java.util.Arrays;

/** Reads a request body into memory, refusing with 413 as soon as it exceeds the configured limit. */
public final class BodyReader {

    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Mono<byte[]> read(HttpServerRequest request) {
        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > maxBytes) {
            return Mono.error(tooLarge());
        }
        return request.receive().asByteArray()
                .reduceWith(Accumulator::new, (accumulator, chunk) -> accumulator.append(chunk, maxBytes))
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
        private byte[] buffer = new byte[8192];
        private int length;

        Accumulator append(byte[] chunk, long limit) {
            if (length + (long) chunk.length > limit) {
                throw tooLarge();
            }
            if (length + chunk.length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + chunk.length));
            }
            System.arraycopy(chunk, 0, buffer, length, chunk.length);
            length += chunk.length;
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }
    }
}
