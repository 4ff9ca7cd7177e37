package dev.sluice.server.http;

import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Serves one route. Errors it signals are turned into error responses by {@link HttpRoutes}. */
@FunctionalInterface
public interface Handler {

    Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response);
}
