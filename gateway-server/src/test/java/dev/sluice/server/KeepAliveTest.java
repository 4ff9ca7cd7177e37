package dev.sluice.server;

import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One keep-alive connection serves request after request, whatever the answers before were. */
class KeepAliveTest {

    private StoreKind.Database database;
    private RunningGateway gateway;

    @BeforeEach
    void start() {
        database = StoreKind.H2.create();
        gateway = RunningGateway.fromYaml("""
                server: {port: 0}
                store: {url: "%s"}
                providers:
                  demo: {type: mock, models: [echo]}
                """.formatted(database.url()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        database.close();
    }

    @Test
    void requestsAfterNotFoundAnswersAreServedOnTheSameConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int round = 0; round < 50; round++) {
                assertThat(exchange(out, in, "GET /v1/files/file-nothing-here HTTP/1.1")).as("round %d", round).isEqualTo(404);
                assertThat(exchange(out, in, "GET /no/such/place HTTP/1.1")).as("round %d", round).isEqualTo(404);
                assertThat(exchange(out, in, "GET /metrics HTTP/1.1")).as("round %d", round).isEqualTo(200);
                assertThat(exchange(out, in, "GET /health HTTP/1.1")).as("round %d", round).isEqualTo(200);
            }
        }
    }

    /** Sends a bodiless request and reads its answer whole (by Content-Length); returns the status. */
    private int exchange(OutputStream out, BufferedReader in, String requestLine) throws IOException {
        out.write((requestLine + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = in.readLine();
        int length = -1;
        boolean chunked = false;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(in.readLine().trim(), 16); size > 0; size = Integer.parseInt(in.readLine().trim(), 16)) {
                in.skip(size);
                in.readLine();
            }
            in.readLine();
        } else {
            assertThat(length).as("Content-Length of %s", requestLine).isGreaterThanOrEqualTo(0);
            in.skip(length);
        }
        return Integer.parseInt(status.split(" ")[1]);
    }
}
