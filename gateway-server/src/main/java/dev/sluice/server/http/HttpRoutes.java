package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.WireFormat;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The route table: paths (literal, or with {@code {name}} segments), each with one handler per method. An
 * unknown path answers 404 and a known path with another method 405 (with {@code Allow}). Before any handler runs, the
 * edge checks what every route needs: well-formed escapes in the URL and no control characters in its query or path
 * parameters (400), a listed origin for a request from a web page ({@link Cors}: 403, and CORS preflights answered
 * here), and a JSON content type on routes that read JSON (415).
 */
public final class HttpRoutes implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    /** @param jsonBody whether the route reads a JSON body, so that only a JSON content type is accepted */
    private record Entry(HttpMethod method, PathPattern path, Handler handler, boolean jsonBody) {
    }

    /** A handler that needs no path parameters. */
    @FunctionalInterface
    public interface Simple {
        Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response);
    }

    private final List<Entry> entries = new ArrayList<>();
    private final ErrorResponder errors;
    private final Cors cors;

    /** Routes refusing every request from a web page (see {@link Cors}). */
    public HttpRoutes(ErrorResponder errors) {
        this(errors, Cors.none());
    }

    public HttpRoutes(ErrorResponder errors, Cors cors) {
        this.errors = errors;
        this.cors = cors;
    }

    public HttpRoutes get(String path, Simple handler) {
        return add(HttpMethod.GET, path, handler);
    }

    public HttpRoutes post(String path, Simple handler) {
        return add(HttpMethod.POST, path, handler);
    }

    public HttpRoutes add(HttpMethod method, String path, Simple handler) {
        return add(method, path, (request, response, params) -> handler.handle(request, response));
    }

    /** A route; one taking a body ({@code POST}, {@code PUT}, {@code PATCH}) takes JSON only. */
    public HttpRoutes add(HttpMethod method, String path, Handler handler) {
        boolean body = method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH);
        entries.add(new Entry(method, new PathPattern(path), handler, body));
        return this;
    }

    /** A {@code POST} route whose body is not JSON (a multipart upload): its handler checks the content type. */
    public HttpRoutes upload(String path, Handler handler) {
        entries.add(new Entry(HttpMethod.POST, new PathPattern(path), handler, false));
        return this;
    }

    /** The tag of paths no route matches: raw paths are never tags. */
    public static final String UNMATCHED = "unmatched";

    /**
     * The template of the route serving this path ({@code /v1/files/{file_id}}), preferring one with this method; for
     * metrics and logs, where raw paths would be unbounded. {@link #UNMATCHED} when no route fits.
     */
    public String template(HttpMethod method, String path) {
        String[] parts = PathPattern.segments(RequestTarget.path(path));
        String anyMethod = null;
        for (Entry entry : entries) {
            if (entry.path.matches(parts)) {
                if (method == null || entry.method.equals(method)) {
                    return entry.path.template();
                }
                if (anyMethod == null) {
                    anyMethod = entry.path.template();
                }
            }
        }
        return anyMethod == null ? UNMATCHED : anyMethod;
    }

    /** {@link #template(HttpMethod, String)} for any method. */
    public String template(String path) {
        return template(null, path);
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        // Whatever fails, even before a handler runs, is answered in the route's error shape, never a dropped connection.
        return Mono.defer(() -> route(request, response))
                .onErrorResume(error -> errors.send(response, error, errors.formatOf(RequestTarget.path(request.uri()))));
    }

    private Mono<Void> route(HttpServerRequest request, HttpServerResponse response) {
        String uri = request.uri();
        String path = RequestTarget.path(uri);
        WireFormat format = errors.formatOf(path);
        HttpHeaders headers = request.requestHeaders();
        if (!RequestTarget.escapesWellFormed(uri)) {
            return errors.send(response, new InvalidRequestException("The request URL has a malformed escape: '%' must be followed "
                    + "by two hexadecimal digits.", null, "invalid_url"), format);
        }
        String badParameter = RequestTarget.queryParameterWithControlCharacter(uri);
        if (badParameter != null) {
            return errors.send(response, new InvalidRequestException("The query parameter '" + badParameter
                    + "' holds a control character.", badParameter), format);
        }
        GatewayException refused = cors.refusal(headers);
        if (refused != null) {
            return errors.send(response, refused, format);
        }
        cors.decorate(headers, response);
        String method = request.method().name();
        boolean preflight = Cors.isPreflight(method, headers);
        String[] parts = PathPattern.segments(path);
        Set<String> allowed = null;
        for (Entry entry : entries) {
            if (entry.path.matches(parts)) {
                if (!preflight && entry.method.equals(request.method())) {
                    return serve(entry, request, response, parts, format);
                }
                if (allowed == null) {
                    allowed = new LinkedHashSet<>();
                }
                allowed.add(entry.method.name());
            }
        }
        if (allowed == null) {
            return errors.send(response, new GatewayException(404, "invalid_request_error", "unknown_url", null,
                    "Unknown request URL: " + method + " " + path + "."), format);
        }
        if (preflight) {
            return cors.preflight(headers, response, allowed);
        }
        response.header("Allow", String.join(", ", allowed));
        return errors.send(response, new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on " + path + " (allowed: " + String.join(", ", allowed) + ")."), format);
    }

    private Mono<Void> serve(Entry entry, HttpServerRequest request, HttpServerResponse response, String[] parts, WireFormat format) {
        Map<String, String> params = entry.path.match(parts);
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (RequestTarget.hasControlCharacter(param.getValue())) {
                return errors.send(response, new InvalidRequestException("The path parameter '" + param.getKey()
                        + "' holds a control character.", param.getKey()), format);
            }
        }
        GatewayException unsupported = entry.jsonBody ? JsonContentType.refusal(request.requestHeaders()) : null;
        if (unsupported != null) {
            return errors.send(response, unsupported, format);
        }
        return Mono.from(entry.handler.handle(request, response, params));
    }
}
