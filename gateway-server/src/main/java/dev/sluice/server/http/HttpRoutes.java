package dev.sluice.server.http;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.provider.WireFormat;
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
 * unknown path answers 404 and a known path with another method 405 (with {@code Allow}).
 */
public final class HttpRoutes implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private record Entry(HttpMethod method, PathPattern path, Handler handler) {
    }

    /** A handler that needs no path parameters. */
    @FunctionalInterface
    public interface Simple {
        Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response);
    }

    private final List<Entry> entries = new ArrayList<>();
    private final ErrorResponder errors;

    public HttpRoutes(ErrorResponder errors) {
        this.errors = errors;
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

    public HttpRoutes add(HttpMethod method, String path, Handler handler) {
        entries.add(new Entry(method, new PathPattern(path), handler));
        return this;
    }

    /** The tag of paths no route matches: raw paths are never tags. */
    public static final String UNMATCHED = "unmatched";

    /**
     * The template of the route serving this path ({@code /v1/files/{file_id}}), preferring one with this method; for
     * metrics and logs, where raw paths would be unbounded. {@link #UNMATCHED} when no route fits.
     */
    public String template(HttpMethod method, String path) {
        String[] parts = PathPattern.segments(path);
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
        String path = request.fullPath();
        WireFormat format = ErrorResponder.formatOf(path);
        String[] parts = PathPattern.segments(path);
        Set<String> allowed = null;
        for (Entry entry : entries) {
            Map<String, String> params = entry.path.match(parts);
            if (params != null) {
                if (entry.method.equals(request.method())) {
                    return Mono.defer(() -> Mono.from(entry.handler.handle(request, response, params)))
                            .onErrorResume(error -> errors.send(response, error, format));
                }
                if (allowed == null) {
                    allowed = new LinkedHashSet<>();
                }
                allowed.add(entry.method.name());
            }
        }
        if (allowed == null) {
            return errors.send(response, new GatewayException(404, "invalid_request_error", "unknown_url", null,
                    "Unknown request URL: " + request.method().name() + " " + path + "."), format);
        }
        response.header("Allow", String.join(", ", allowed));
        return errors.send(response, new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + request.method().name() + " is not allowed on " + path + " (allowed: " + String.join(", ", allowed) + ")."), format);
    }
}
