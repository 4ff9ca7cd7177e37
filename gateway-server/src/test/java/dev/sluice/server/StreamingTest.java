package dev.sluice.server;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Streaming over real HTTP: order, per-event flushing, the SSE headers, and cancellation on disconnect. */
class StreamingTest {

    private static final String CHUNK = "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}";
    private static final String REQUEST = "{\"model\":\"live/gpt\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private ScriptedUpstream upstream;
    private RunningGateway gateway;

    @BeforeEach
    void start() {
        upstream = new ScriptedUpstream();
        gateway = RunningGateway.start(
                ProviderConfig.builder("live", "openai").baseUrl(upstream.baseUrl()).build(),
                RunningGateway.mock("demo"));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void relaysEachEventBeforeTheUpstreamHasFinished() throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> pending = gateway.client().sendAsync(
                HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(upstream.requested().await(5, TimeUnit.SECONDS)).isTrue();

        upstream.emit(CHUNK.formatted("Hel"));
        HttpResponse<Stream<String>> response = pending.get(5, TimeUnit.SECONDS);
        Iterator<String> lines = response.body().iterator();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-accel-buffering")).hasValue("no");
        assertThat(nextData(lines)).isEqualTo(CHUNK.formatted("Hel"));

        upstream.emit(CHUNK.formatted("lo"));
        assertThat(nextData(lines)).isEqualTo(CHUNK.formatted("lo"));

        upstream.emit("[DONE]");
        upstream.finish();
        assertThat(nextData(lines)).isEqualTo("[DONE]");
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);
        assertThat(rest).as("nothing follows [DONE] and the response ends").allMatch(String::isEmpty);
    }

    @Test
    void clientDisconnectCancelsTheUpstreamCall() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertThat(upstream.requested().await(5, TimeUnit.SECONDS)).isTrue();
            upstream.emit(CHUNK.formatted("first"));

            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains("first"));
            assertThat(line).contains("first");
        }

        assertThat(upstream.cancelled().await(5, TimeUnit.SECONDS))
                .as("the gateway cancels the upstream stream when its caller goes away").isTrue();
    }

    @Test
    void mockStreamSendsSeveralChunksThenDone() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions",
                "{\"model\":\"demo/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");

        List<String> data = dataOf(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String chunk : data.subList(0, data.size() - 1)) {
            text.append(json(chunk).at("/choices/0/delta/content").asText(""));
        }
        assertThat(text.toString()).isEqualTo("one two three");
        assertThat(data.size()).isGreaterThan(4);
    }

    @Test
    void responsesStreamUsesNamedEventsAndEndsCompleted() {
        HttpResponse<String> response = gateway.post("/v1/responses", "{\"model\":\"demo/echo\",\"stream\":true,\"input\":\"go\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("event: response.created\n");
        assertThat(response.body().strip()).contains("event: response.completed\n");
    }

    private static String nextData(Iterator<String> lines) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                return line.substring("data: ".length());
            }
        }
        throw new AssertionError("no data line arrived");
    }

    private static List<String> dataOf(String body) {
        List<String> data = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            }
        }
        return data;
    }
}
