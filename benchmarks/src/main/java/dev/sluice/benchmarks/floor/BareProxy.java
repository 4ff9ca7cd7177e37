package dev.sluice.benchmarks.floor;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import java.util.concurrent.CountDownLatch;

/**
 * The floor under Sluice's figures: the least a Reactor Netty proxy can do, with the same server and pooled client
 * that Sluice is built on and none of its work (no routing, keys, parsing, metrics or retries). Each request's body
 * is read whole, posted to the same path upstream, and the upstream's status and body are returned.
 * {@code java -cp benchmarks.jar dev.sluice.benchmarks.floor.BareProxy --upstream http://HOST:PORT [--port 0]}
 * prints {@code bare proxy listening on http://HOST:PORT} once it serves.
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) throws InterruptedException {
        String upstream = null;
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--upstream" -> upstream = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (expected --upstream, --port)");
            }
        }
        if (upstream == null) {
            throw new IllegalArgumentException("--upstream http://HOST:PORT is required");
        }
        HttpClient client = HttpClient.create(ConnectionProvider.builder("bare").maxConnections(2048).build()).baseUrl(upstream);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> request.receive().aggregate().asByteArray()
                        .flatMap(body -> client.post().uri(request.uri())
                                .send((out, outbound) -> {
                                    out.requestHeaders().set(HttpHeaderNames.CONTENT_TYPE, request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE));
                                    return outbound.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
                                })
                                .responseSingle((answer, content) -> content.asByteArray()
                                        .map(bytes -> new Answer(answer.status(), answer.responseHeaders(), bytes))))
                        .flatMap(answer -> response.status(answer.status())
                                .header(HttpHeaderNames.CONTENT_TYPE, answer.headers().get(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                                .sendByteArray(Mono.just(answer.body())).then()))
                .bindNow();
        System.out.println("bare proxy listening on http://" + server.host() + ":" + server.port());
        new CountDownLatch(1).await();
    }

    private record Answer(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
    }
}
