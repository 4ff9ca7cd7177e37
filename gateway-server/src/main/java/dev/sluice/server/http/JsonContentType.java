package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Locale;

/**
 * Routes that read JSON take only a JSON body: {@code application/json} or {@code application/*+json}, parameters
 * such as {@code charset} allowed. Besides saying what was wrong early, this closes the door to a web page posting
 * {@code text/plain} cross-site, which a browser sends without asking first (a CORS "simple" request).
 */
final class JsonContentType {

    private JsonContentType() {
    }

    /** The 415 for a body that is not declared as JSON; {@code null} when it is, or when there is no body at all. */
    static GatewayException refusal(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null ? !hasBody(headers) : isJson(type)) {
            return null;
        }
        String given = type == null ? "no Content-Type" : "Content-Type '" + HeaderValues.safe(type) + "'";
        return new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                "The body must be JSON, sent with Content-Type: application/json; this request has " + given + ".");
    }

    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }

    private static boolean hasBody(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.strip().equals("0") || headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }
}
