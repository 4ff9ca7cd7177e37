package dev.sluice.server.http;

import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.Map;

/** Serves one route. Errors it signals are turned into error responses by {@link HttpRoutes}. */
@FunctionalInterface
public interface Handler {

    /**
     * @param params the values of the route's {@code {name}} placeholders, decoded
     */
    Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, Map<String, String> params);
}
