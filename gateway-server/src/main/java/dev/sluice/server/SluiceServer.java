package dev.sluice.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Gateway;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.ErrorResponder;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.openai.OpenAiRoutes;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The HTTP face of one {@link Gateway}: binds the server and wires the routes. Closing it frees both. */
public final class SluiceServer implements AutoCloseable {

    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final DisposableServer server;
    private final Gateway gateway;

    private SluiceServer(DisposableServer server, Gateway gateway) {
        this.server = server;
        this.gateway = gateway;
    }

    /** Builds the engine from the configuration and starts serving it. */
    public static Mono<SluiceServer> start(SluiceConfig config) {
        return Mono.fromCallable(() -> {
            Gateway.Builder builder = Gateway.builder();
            config.providers().forEach(builder::provider);
            return builder.build();
        }).flatMap(gateway -> start(config.server(), gateway));
    }

    /** Serves an engine built elsewhere; the server takes ownership and closes it on {@link #close()}. */
    public static Mono<SluiceServer> start(ServerSettings settings, Gateway gateway) {
        ObjectMapper json = new ObjectMapper();
        ErrorResponder errors = new ErrorResponder(json);
        HttpRoutes routes = new HttpRoutes(errors);
        routes.get("/health", (request, response) -> response
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendByteArray(Mono.just(HEALTHY)));
        new OpenAiRoutes(gateway, new BodyReader(settings.maxBodyBytes()), errors, json).register(routes);
        return HttpServer.create()
                .host(settings.host())
                .port(settings.port())
                .handle(routes)
                .bind()
                .map(server -> new SluiceServer(server, gateway));
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** The address callers use, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return "http://" + host + ":" + port();
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Stops accepting, then releases the engine's connection pools. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
        gateway.close().block(Duration.ofSeconds(10));
    }
}
