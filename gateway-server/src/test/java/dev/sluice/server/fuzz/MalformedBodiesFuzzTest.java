package dev.sluice.server.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every route that reads JSON gets a corpus of malformed bodies: broken and deeply nested JSON, huge strings, invalid
 * UTF-8, and a wrong type in every field the gateway or a wire format knows. Each answer must be a 4xx in the route's
 * error shape (or a 2xx where the body is valid after all), and the server must go on serving.
 */
class MalformedBodiesFuzzTest {

    private static final String BASE = "\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"input\":\"hi\","
            + "\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"max_tokens\":8";
    /** Fields some route reads: the gateway's own, and the wire formats', batches' and virtual keys'. */
    private static final List<String> FIELDS = List.of("model", "messages", "stream", "stream_options", "background", "fallbacks",
            "max_tokens", "temperature", "n", "tools", "tool_choice", "input", "prompt", "system", "contents", "generationConfig",
            "requests", "content", "metadata", "response_format", "name", "value", "budget", "rate_limit", "allowed_models", "active",
            "expires_at", "input_file_id", "endpoint", "completion_window", "output_expires_after", "instructions", "previous_response_id");
    private static final List<String> WRONG_VALUES = List.of("1", "-1.5e308", "\"x\"", "true", "{}", "[null]", "[1,\"a\",{}]",
            "{\"a\":{\"b\":[]}}", "\"\"");
    private static final int VALUES_PER_FIELD = 1;

    private static FuzzGateway gateway;

    @BeforeAll
    static void start() {
        gateway = FuzzGateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @TestFactory
    Stream<DynamicTest> everyJsonRouteRefusesMalformedBodiesCleanly() {
        List<FuzzRoutes.Route> routes = FuzzRoutes.JSON_BODY;
        return routes.stream().map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            for (Map.Entry<String, byte[]> body : corpus(routes.indexOf(route)).entrySet()) {
                gateway.exchange(route + " with " + body.getKey(), route.path(), request(route, body.getValue()), false, true);
            }
        }));
    }

    private static byte[] request(FuzzRoutes.Route route, byte[] body) {
        StringBuilder head = new StringBuilder(route.method()).append(' ').append(route.path()).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        for (String header : route.headers()) {
            head.append(header).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * The malformed bodies for the {@code seed}-th route: all of the broken ones, and a wrong type in every field, with
     * values rotating over the routes so that every value meets every field somewhere while each route stays quick.
     */
    static Map<String, byte[]> corpus(int seed) {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        for (String text : List.of("", " ", "{", "}", "[", "{not json", "null", "true", "\"text\"", "42", "[]", "{}", "{\"model\":",
                "{\"model\":\"demo/echo\"", "{\"model\":\"demo/echo\"}} trailing", "{\"model\":\"demo/echo\",}", "{'model':'demo/echo'}",
                "{\"model\":\"demo/echo\",\"model\":\"demo/embed\"}", "{\"model\":NaN}", "{\"model\":\"demo/\\u0000\"}",
                "{\"model\":\"demo/echo\\ud800\"}", "{\"model\":\"\\uZZZZ\"}", "\uFEFF{\"model\":\"demo/echo\"}",
                "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}",
                "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"\",\"content\":[{\"type\":\"image_url\"}]}]}",
                "{\"model\":\"demo/echo\",\"messages\":[{}],\"contents\":[{}],\"input\":[[]]}",
                "{\"model\":\"" + "m".repeat(300) + "\"}", "{\"model\":\"demo/echo\",\"max_tokens\":1" + "0".repeat(2000) + "}",
                "{\"model\":\"demo/echo\",\"temperature\":1e99999}")) {
            corpus.put(quote(text), text.getBytes(StandardCharsets.UTF_8));
        }
        corpus.put("100k [", "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        corpus.put("50k nested objects", "{\"a\":".repeat(50_000).getBytes(StandardCharsets.US_ASCII));
        corpus.put("deep messages", ("{\"model\":\"demo/echo\",\"messages\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}")
                .getBytes(StandardCharsets.US_ASCII));
        corpus.put("1 MB string", ("{" + BASE.replace("\"content\":\"hi\"", "\"content\":\"" + "x".repeat(1_000_000) + "\"") + "}")
                .getBytes(StandardCharsets.US_ASCII));
        corpus.put("100k key", ("{\"" + "k".repeat(100_000) + "\":1}").getBytes(StandardCharsets.US_ASCII));
        corpus.put("invalid UTF-8 in the model", bytes("{\"model\":\"demo/", new byte[] {(byte) 0xC3, 0x28}, "\"}"));
        corpus.put("invalid UTF-8 in content", bytes("{" + BASE.replace("\"content\":\"hi\"", "\"content\":\""), new byte[] {(byte) 0xFF,
                (byte) 0xFE, (byte) 0x80}, "\"}"));
        corpus.put("raw control bytes", bytes("{\"model\":\"demo/echo", new byte[] {0, 1, 0x1b}, "\"}"));
        for (int f = 0; f < FIELDS.size(); f++) {
            String field = FIELDS.get(f);
            for (int v = 0; v < VALUES_PER_FIELD; v++) {
                String value = WRONG_VALUES.get((seed + f + v * (WRONG_VALUES.size() / VALUES_PER_FIELD)) % WRONG_VALUES.size());
                String body = "{" + BASE + ",\"" + field + "\":" + value + "}";
                corpus.put(field + "=" + value, body.getBytes(StandardCharsets.UTF_8));
            }
        }
        return corpus;
    }

    private static String quote(String text) {
        return "'" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'";
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        List<byte[]> parts = new ArrayList<>(List.of(before.getBytes(StandardCharsets.UTF_8), middle, after.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
