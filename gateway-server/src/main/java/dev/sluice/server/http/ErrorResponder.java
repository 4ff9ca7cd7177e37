package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.WireFormats;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes errors in the error shape of the route's wire format ({@link WireFormat#errorBody}). An upstream error that
 * already is such an envelope is passed back byte for byte, with the provider's status.
 */
public final class ErrorResponder {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);

    private final WireFormats formats;

    public ErrorResponder(WireFormats formats) {
        this.formats = formats;
    }

    /** The wire format of the routes under this path: each format's integration routes have their own prefix. */
    public WireFormat formatOf(String path) {
        return formats.ofPath(path);
    }

    /**
     * Answers with the error, unless the response has already started, where nothing more can be said, or the caller
     * has gone away, where nobody is left to hear it.
     */
    public Mono<Void> send(HttpServerResponse response, Throwable error, WireFormat format) {
        if (error instanceof GatewayException refusal) {
            // What the engine learned before it refused or failed (the key, the target) is for the access log.
            ExchangeReport.of(response).record(refusal.report());
        }
        if (error instanceof AbortedException) {
            log.debug("the caller closed its connection before the answer: {}", error.getMessage());
            return Mono.empty();
        }
        if (response.hasSentHeaders()) {
            return Mono.empty();
        }
        GatewayException failure = asGatewayException(error);
        byte[] body = format.errorBody(failure);
        if (failure.retryAfter() != null) {
            response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (failure.retryAfter().toMillis() + 999) / 1000)));
        }
        return response.status(HttpResponseStatus.valueOf(failure.status()))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    /** The error as a new envelope of the format, for a final in-band stream event. */
    public byte[] envelope(Throwable error, WireFormat format) {
        return format.envelope(asGatewayException(error));
    }

    /** The failure as the gateway reports it; anything unexpected is logged once here and becomes a 500. */
    public static GatewayException asGatewayException(Throwable error) {
        if (error instanceof GatewayException failure) {
            return failure;
        }
        log.error("unexpected failure while serving a request", error);
        return new GatewayException(500, "server_error", "internal_error", null, "The gateway failed unexpectedly; see its log.");
    }
}
