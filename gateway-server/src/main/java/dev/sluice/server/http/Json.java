package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Small helpers for JSON responses. */
public final class Json {

    private Json() {
    }

    /** Answers with a JSON body and its length. */
    public static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, byte[] body) {
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    /** Answers 200 with a JSON body. */
    public static Mono<Void> ok(HttpServerResponse response, byte[] body) {
        return send(response, HttpResponseStatus.OK, body);
    }

    /** The value as JSON bytes; trees and records built by the gateway always serialise. */
    public static byte[] bytes(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response body", e);
        }
    }
}
