package dev.sluice.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a response body chunk by chunk at the pace the client reads it. Reactor Netty's {@code send(publisher)} asks
 * its source for 128 items at once and queues whatever cannot be written yet, so a slow client would make a download
 * read its whole file into memory ahead of it; here the next chunk is asked for only once the one before it has been
 * written to the socket, with one more read ahead meanwhile.
 */
public final class ClientPaced {

    private static final int READ_AHEAD = 1;

    private ClientPaced() {
    }

    /** Sends the response's headers as set, then {@code chunks} as its body. */
    public static Mono<Void> send(HttpServerResponse response, Flux<byte[]> chunks) {
        return response.sendHeaders().then()
                // As HTTP content: Reactor Netty drops a bare buffer written once the headers are out.
                .thenMany(chunks.concatMap(chunk -> response.sendObject(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))).then(),
                        READ_AHEAD))
                .then();
    }
}
