package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.util.Collection;
import java.util.Set;

/**
 * The browser policy ({@code server.cors.allowed_origins}). A request with an {@code Origin} header comes from a web
 * page; unless the operator lists that page's origin (or {@code *}), it is refused, so that no page can spend the
 * gateway's provider keys through a visitor's browser. A listed origin gets the CORS headers, on preflights and on
 * answers alike.
 */
public final class Cors {

    private static final String ANY = "*";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, OpenAI-Organization, OpenAI-Project, OpenAI-Beta, "
            + "anthropic-version, anthropic-beta, x-goog-api-key, api-key, x-bf-vk, x-bf-async, x-bf-async-id, x-bf-async-job-result-ttl, x-api-key, "
            + "x-request-id, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, "
            + "x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout";
    private static final String EXPOSED_HEADERS = "x-request-id, x-sluice-provider, x-sluice-model, x-sluice-fallback-index, "
            + "x-sluice-overhead-ms, Retry-After";

    private final Set<String> allowedOrigins;

    /** @param allowedOrigins origins as browsers send them ({@code https://app.example}), or {@code *} for any */
    public Cors(Collection<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** No browser origin is allowed. */
    public static Cors none() {
        return new Cors(Set.of());
    }

    /** The refusal of a request from a web page whose origin is not listed; {@code null} when it may be served. */
    GatewayException refusal(HttpHeaders headers) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null || allows(origin)) {
            return null;
        }
        return new GatewayException(403, "invalid_request_error", "origin_not_allowed", null,
                "Requests from web pages are refused: the origin '" + HeaderValues.safe(origin) + "' is not listed in "
                        + "server.cors.allowed_origins.");
    }

    /** Adds the CORS headers to the answer of a request from a listed origin; nothing for other requests. */
    void decorate(HttpHeaders headers, HttpServerResponse response) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && allows(origin)) {
            response.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValues.safe(origin))
                    .header(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN)
                    .header(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
    }

    /** Whether the request is a CORS preflight: {@code OPTIONS} asking about a method. */
    static boolean isPreflight(String method, HttpHeaders headers) {
        return method.equals("OPTIONS") && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * Answers the preflight of a request from a listed origin (see {@link #refusal}) to a path serving these methods.
     * The headers the page asks to send are allowed as asked: the operator trusts the origin, and SDKs running in
     * browsers add headers of their own ({@code anthropic-dangerous-direct-browser-access}, ...).
     */
    Mono<Void> preflight(HttpHeaders headers, HttpServerResponse response, Collection<String> methods) {
        decorate(headers, response);
        String asked = headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        return response.status(HttpResponseStatus.NO_CONTENT)
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", methods) + ", OPTIONS")
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked == null || asked.isBlank() ? ALLOWED_HEADERS : HeaderValues.safe(asked))
                .header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400")
                .send();
    }

    private boolean allows(String origin) {
        return allowedOrigins.contains(ANY) || allowedOrigins.contains(origin);
    }
}
