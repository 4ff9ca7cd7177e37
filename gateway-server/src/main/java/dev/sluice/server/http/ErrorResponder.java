package dev.sluice.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamStatusException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes errors in OpenAI's envelope {@code {"error":{"message","type","param","code"}}}. An upstream
 * error that already is such an envelope is passed back byte for byte, with the provider's status.
 */
public final class ErrorResponder {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);
    private static final int MAX_QUOTED_UPSTREAM_CHARS = 500;

    private final ObjectMapper json;

    public ErrorResponder(ObjectMapper json) {
        this.json = json;
    }

    /** Answers with the error, unless the response has already started, where nothing more can be said. */
    public Mono<Void> send(HttpServerResponse response, Throwable error) {
        if (response.hasSentHeaders()) {
            return Mono.empty();
        }
        GatewayException failure = asGatewayException(error);
        byte[] body = failure instanceof UpstreamStatusException upstream && isErrorEnvelope(upstream.body())
                ? upstream.body()
                : envelope(failure);
        if (failure.retryAfter() != null) {
            response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (failure.retryAfter().toMillis() + 999) / 1000)));
        }
        return response.status(HttpResponseStatus.valueOf(failure.status()))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    /** The error as OpenAI's envelope, for a response body or an in-band stream event. */
    public byte[] envelope(Throwable error) {
        GatewayException failure = asGatewayException(error);
        ObjectNode root = json.createObjectNode();
        ObjectNode fields = root.putObject("error");
        fields.put("message", messageOf(failure));
        fields.put("type", failure.type());
        fields.put("param", failure.param());
        fields.put("code", failure.code());
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an error envelope", e);
        }
    }

    private static GatewayException asGatewayException(Throwable error) {
        if (error instanceof GatewayException failure) {
            return failure;
        }
        log.error("unexpected failure while serving a request", error);
        return new GatewayException(500, "server_error", "internal_error", null, "The gateway failed unexpectedly; see its log.");
    }

    private static String messageOf(GatewayException failure) {
        if (failure instanceof UpstreamStatusException upstream && upstream.body().length > 0) {
            String text = new String(upstream.body(), StandardCharsets.UTF_8).strip();
            if (text.length() > MAX_QUOTED_UPSTREAM_CHARS) {
                text = text.substring(0, MAX_QUOTED_UPSTREAM_CHARS) + "...";
            }
            return failure.getMessage() + ": " + text;
        }
        return failure.getMessage();
    }

    private boolean isErrorEnvelope(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.path("error").isObject();
        } catch (IOException notJson) {
            return false;
        }
    }
}
