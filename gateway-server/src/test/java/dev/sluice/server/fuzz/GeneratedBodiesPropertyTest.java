package dev.sluice.server.fuzz;

import dev.sluice.server.support.RawHttp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Generated request bodies, from plausible requests with a wrong type here and there to random JSON and random bytes,
 * sent to random JSON routes: whatever the body, the answer is never a 5xx and never silence.
 */
class GeneratedBodiesPropertyTest {

    private static final List<String> MODELS = List.of("demo/echo", "demo/embed", "echo", "embed", "openai/echo", "anthropic/echo",
            "gemini/embed", "nowhere/x", "demo/", "/echo", "", " ", "demo/echo\u0000", "demo/\u00e9\u20ac");
    /** Plausible values of the fields requests carry, by field. */
    private static final Map<String, List<String>> PLAUSIBLE = Map.ofEntries(
            Map.entry("model", MODELS.stream().map(GeneratedBodiesPropertyTest::quote).toList()),
            Map.entry("messages", List.of("[{\"role\":\"user\",\"content\":\"hi\"}]",
                    "[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]},{\"role\":\"user\",\"content\":\"hi\"}]",
                    "[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\"}]}]", "[]")),
            Map.entry("stream", List.of("true", "false")),
            Map.entry("stream_options", List.of("{\"include_usage\":true}", "{}")),
            Map.entry("background", List.of("true", "false")),
            Map.entry("fallbacks", List.of("[\"demo/echo\"]", "[]", "[\"nowhere/x\"]")),
            Map.entry("max_tokens", List.of("16", "0", "-1", "1e3")),
            Map.entry("input", List.of("\"hi\"", "[\"a\",\"b\"]", "[[1,2]]", "[{\"role\":\"user\",\"content\":\"hi\"}]")),
            Map.entry("prompt", List.of("\"hi\"", "[\"a\"]")),
            Map.entry("system", List.of("\"be brief\"", "[{\"type\":\"text\",\"text\":\"x\"}]")),
            Map.entry("contents", List.of("[{\"parts\":[{\"text\":\"hi\"}]}]", "[{\"role\":\"user\",\"parts\":[]}]")),
            Map.entry("content", List.of("{\"parts\":[{\"text\":\"hi\"}]}")),
            Map.entry("requests", List.of("[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]")),
            Map.entry("tools", List.of("[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]")),
            Map.entry("input_file_id", List.of("\"file-x\"")),
            Map.entry("endpoint", List.of("\"/v1/chat/completions\"", "\"/v1/nothing\"")),
            Map.entry("completion_window", List.of("\"24h\"", "\"1y\"")),
            Map.entry("name", List.of("\"fuzz\"", "\"\"")),
            Map.entry("budget", List.of("{\"max_usd\":1}", "{\"max_usd\":-1}")),
            Map.entry("rate_limit", List.of("{\"requests_per_minute\":5}")),
            Map.entry("allowed_models", List.of("[\"demo/*\"]")),
            Map.entry("active", List.of("true")));

    private static FuzzGateway gateway;

    @BeforeContainer
    static void start() {
        gateway = FuzzGateway.start();
    }

    @AfterContainer
    static void stop() {
        gateway.close();
    }

    // Random generation, not the edge cases first: their combinations over a dozen fields would use up every try.
    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void noGeneratedJsonBodyGetsA5xx(@ForAll("routes") FuzzRoutes.Route route, @ForAll("bodies") String body) {
        send(route, body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.MIXIN)
    void noRandomBytesGetA5xx(@ForAll("routes") FuzzRoutes.Route route, @ForAll("bytes") byte[] body) {
        send(route, body);
    }

    private static void send(FuzzRoutes.Route route, byte[] body) {
        String[] headers = new String[route.headers().length + 2];
        headers[0] = "Content-Type: application/json";
        headers[1] = "Content-Length: " + body.length;
        System.arraycopy(route.headers(), 0, headers, 2, route.headers().length);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(route.method()).append(' ').append(route.path()).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Connection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        RawHttp.Answer answer = RawHttp.exchange(gateway.port(), request.toByteArray(), false);
        FuzzGateway.verdict(route + " with " + new String(body, StandardCharsets.UTF_8), route.path(), answer, true);
    }

    @Provide
    Arbitrary<FuzzRoutes.Route> routes() {
        return Arbitraries.of(FuzzRoutes.JSON_BODY);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> requests = requests();
        return Arbitraries.frequencyOf(
                Tuple.of(5, requests),
                Tuple.of(2, corrupted(requests)),
                Tuple.of(1, json(3)));
    }

    /** A request object: each known field present or not, with a plausible value or any JSON at all. */
    private static Arbitrary<String> requests() {
        List<Arbitrary<String>> fields = new ArrayList<>();
        // Mostly a model the mock serves, so that most bodies get past the model and into the wire formats' readers.
        Arbitrary<String> model = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("\"demo/echo\"", "\"echo\"", "\"demo/embed\"", "\"embed\"")),
                Tuple.of(2, Arbitraries.of(PLAUSIBLE.get("model"))), Tuple.of(1, json(2)));
        fields.add(model.map(text -> "\"model\":" + text).injectNull(0.1));
        for (Map.Entry<String, List<String>> field : PLAUSIBLE.entrySet()) {
            if (field.getKey().equals("model")) {
                continue;
            }
            Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(field.getValue())), Tuple.of(1, json(2)));
            fields.add(value.map(text -> quote(field.getKey()) + ":" + text).injectNull(0.6));
        }
        return Combinators.combine(fields).as(present -> present.stream().filter(Objects::nonNull)
                .collect(Collectors.joining(",", "{", "}")));
    }

    /** The text cut short, or with one character put in or replaced. */
    private static Arbitrary<String> corrupted(Arbitrary<String> texts) {
        return Combinators.combine(texts, Arbitraries.integers().between(0, 10_000), Arbitraries.chars(), Arbitraries.integers().between(0, 2))
                .as((text, at, c, how) -> {
                    int i = text.isEmpty() ? 0 : at % text.length();
                    return switch (how) {
                        case 0 -> text.substring(0, i);
                        case 1 -> text.substring(0, i) + c + text.substring(i);
                        default -> text.isEmpty() ? String.valueOf(c) : text.substring(0, i) + c + text.substring(i + 1);
                    };
                });
    }

    /** Any JSON value up to the given depth. */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(GeneratedBodiesPropertyTest::quote),
                Arbitraries.of(MODELS).map(GeneratedBodiesPropertyTest::quote),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "1e400", "-0", "0.0000001"));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<String> arrays = json(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(PLAUSIBLE.keySet()), Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> objects = Combinators.combine(names, json(depth - 1)).as((name, value) -> quote(name) + ":" + value)
                .list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(1, arrays), Tuple.of(1, objects));
    }

    /** The text as a JSON string, with the escapes JSON needs (control characters included). */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
