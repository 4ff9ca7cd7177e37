package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.ScriptedUpstream;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.sluice.server.VirtualKeyGovernanceTest.assertDecision;
import static dev.sluice.server.VirtualKeyGovernanceTest.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that reads the first events of a stream and hangs up, before the provider's usage chunk, is charged what
 * it used: over real HTTP, on H2 and on PostgreSQL.
 */
class AbandonedStreamChargeTest {

    // "tell me a long story": 20 characters of prompt, estimated at 5 tokens.
    private static final String REQUEST = "{\"model\":\"scripted/m\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me a long story\"}]}";
    private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}";

    private static String config(String storeUrl, String upstream) {
        return VirtualKeyGovernanceTest.config(storeUrl, false)
                .replace("  other: {type: mock, models: [x]}\n", "  other: {type: mock, models: [x]}\n"
                        + "  scripted: {type: openai, base_url: \"" + upstream + "\", keys: [{name: k, value: sk-scripted-key}]}\n")
                + "  \"scripted/*\": {input: 100000, output: 100000, expected_output_tokens: 2}\n";
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStreamAbandonedAfterTwoEventsIsChargedItsPromptAndTheTextSoFar(StoreKind kind) throws Exception {
        try (StoreKind.Database database = kind.create();
             ScriptedUpstream upstream = new ScriptedUpstream();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), upstream.baseUrl()))) {
            readTwoEventsThenHangUp(gateway, upstream, "sk-bf-budget-0004");

            JsonNode usage = Polling.until(() -> usage(gateway, "budgeted"), seen -> seen.path("requests").asLong() == 1,
                    Duration.ofSeconds(5));
            // "Once upon a time" + " there was": 26 characters streamed, 7 tokens; the prompt's 5; $0.10 a token.
            assertThat(usage.path("input_tokens").asLong()).isEqualTo(5);
            assertThat(usage.path("output_tokens").asLong()).isEqualTo(7);
            assertThat(usage.path("spend_usd").asDouble()).isEqualTo(1.2);
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-budget-0004"), 402, "budget_exceeded");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStreamAbandonedAfterTwoEventsCountsAgainstTheTokenRate(StoreKind kind) throws Exception {
        try (StoreKind.Database database = kind.create();
             ScriptedUpstream upstream = new ScriptedUpstream();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), upstream.baseUrl()))) {
            readTwoEventsThenHangUp(gateway, upstream, "sk-bf-tokens-0003");

            Polling.until(() -> usage(gateway, "tokens"), seen -> seen.path("requests").asLong() == 1, Duration.ofSeconds(5));
            // 12 tokens charged against 5 a minute.
            assertDecision(gateway.chat("demo/echo", "hi", "x-bf-vk", "sk-bf-tokens-0003"), 429, "rate_limited");
        }
    }

    private static void readTwoEventsThenHangUp(RunningGateway gateway, ScriptedUpstream upstream, String key) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "x-bf-vk: " + key + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertThat(upstream.requested().await(5, TimeUnit.SECONDS)).isTrue();
            upstream.emit(CHUNK.formatted("Once upon a time"));
            upstream.emit(CHUNK.formatted(" there was"));

            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            readUntil(in, "Once upon a time");
            readUntil(in, " there was");
            // The upstream has more to say; the caller hangs up here.
        }
        assertThat(upstream.cancelled().await(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void readUntil(BufferedReader in, String text) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.contains(text));
        assertThat(line).contains(text);
    }
}
