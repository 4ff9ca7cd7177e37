package dev.sluice.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies read whole over real HTTP, whatever their size and however they are cut into chunks. */
class BodyReaderTest {

    private static final int LIMIT = 100_000;

    private final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> new BodyReader(LIMIT).read(request)
                    .flatMap(body -> response.sendByteArray(Mono.just(body)).then())
                    .onErrorResume(error -> response.status(413).send()))
            .bindNow();
    private final HttpClient client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    @Test
    void aDeclaredBodyArrivesWhole() {
        byte[] body = bytes(150);

        assertThat(post(Flux.just(body), body.length)).isEqualTo(body);
    }

    @Test
    void aChunkedBodyLargerThanTheFirstGuessArrivesWhole() {
        byte[] body = bytes(50_000);
        Flux<byte[]> chunks = Flux.range(0, 50).map(i -> Arrays.copyOfRange(body, i * 1000, (i + 1) * 1000));

        assertThat(post(chunks, -1)).isEqualTo(body);
    }

    @Test
    void aBodyInUnevenChunksArrivesWhole() {
        byte[] body = bytes(3000);

        assertThat(post(Flux.just(Arrays.copyOf(body, 1000), Arrays.copyOfRange(body, 1000, 3000)), -1)).isEqualTo(body);
    }

    @Test
    void anEmptyBodyIsEmpty() {
        assertThat(post(Flux.empty(), 0)).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefused() {
        Flux<byte[]> chunks = Flux.range(0, 101).map(i -> bytes(1000));

        int status = client.post().uri("/").send(chunks.map(Unpooled::wrappedBuffer))
                .responseSingle((response, content) -> Mono.just(response.status().code()))
                .block(Duration.ofSeconds(10));

        assertThat(status).isEqualTo(413);
    }

    private byte[] post(Flux<byte[]> chunks, int declared) {
        HttpClient sender = declared < 0 ? client
                : client.headers(headers -> headers.set(HttpHeaderNames.CONTENT_LENGTH, declared));
        return sender.post().uri("/").send(chunks.map(Unpooled::wrappedBuffer))
                .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0]))
                .block(Duration.ofSeconds(10));
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
