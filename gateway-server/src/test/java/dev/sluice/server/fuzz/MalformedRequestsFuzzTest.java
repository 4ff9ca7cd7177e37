package dev.sluice.server.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Malformed requests below the body, sent byte for byte over a socket: odd paths and escapes, odd methods, odd and
 * oversized headers, broken framing. Each answer must be a 4xx (in the route's shape when a route answers it), and the
 * server must go on serving.
 */
class MalformedRequestsFuzzTest {

    private static final String JSON = "{\"model\":\"demo/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

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
    Stream<DynamicTest> everyRouteRefusesOddTargetsCleanly() {
        List<FuzzRoutes.Route> routes = new ArrayList<>(FuzzRoutes.JSON_BODY);
        routes.addAll(FuzzRoutes.OTHERS);
        return oddTargets(gateway, routes);
    }

    /** Targets every route gets, as suffixes of its path or in its place, and odd methods on its path. */
    static Stream<DynamicTest> oddTargets(FuzzGateway gateway, List<FuzzRoutes.Route> routes) {
        return routes.stream().map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            String path = route.path();
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            for (String target : List.of(bare + "%zz", bare + "/%", bare + "%00", bare + "/%2e%2e", bare + "/..", bare + "/../..",
                    bare + "//", "/" + bare, bare + "?%zz", bare + "?limit=abc&order=sideways&after=%00&alt=%G", bare + "?limit=-5",
                    bare + "?limit=99999999999999", bare + "?after=x%00y&purpose=%01", bare + "#fragment", bare + "/" + "a".repeat(3000),
                    bare + ";x=1", bare + "%2F..%2F")) {
                send(gateway, route, target, route.method());
            }
            for (String method : List.of("BREW", route.method().toLowerCase(), "PROPFIND", "TRACE", "OPTIONS", "HEAD", "PUT", "M".repeat(300))) {
                send(gateway, route, path, method);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> oddRequestLinesAreRefusedCleanly() {
        return Stream.of("GET /v1/files/%zz HTTP/1.1", "GET /v1/files/a b HTTP/1.1", "GET * HTTP/1.1", "OPTIONS * HTTP/1.1",
                        "GET http://elsewhere.example/v1/models HTTP/1.1", "CONNECT 127.0.0.1:1 HTTP/1.1", "GET /v1/models HTTP/2.0",
                        "GET /v1/models HTTP/9.9", "GET /v1/models", "GET", "/v1/models HTTP/1.1", "GET /" + "x".repeat(10_000) + " HTTP/1.1",
                        "GET /v1/files/\u00e9\u00e8 HTTP/1.1", "GET /v1/files/\u0001 HTTP/1.1", "\u0016\u0003\u0001\u0002\u0000\u0001")
                .map(line -> DynamicTest.dynamicTest(shorten(line), () -> gateway.exchange(shorten(line), "/v1",
                        (line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false, true)));
    }

    @TestFactory
    Stream<DynamicTest> oddHeadersAreRefusedCleanly() {
        List<String> headerSets = new ArrayList<>(List.of(
                "X-Big: " + "a".repeat(20_000),
                "NoColonHere",
                "Bad Name: x",
                "X-Control: a\u0001b",
                ": empty-name",
                "Content-Type: application/json; charset=bogus",
                "Content-Type: application/json; charset=\"",
                "Content-Type: ;;;",
                "Authorization: Bearer \u0001\u007f",
                "Authorization: Bearer sk-bf-" + "k".repeat(5000),
                "Authorization: " + "x".repeat(6000),
                "x-bf-vk: sk-bf-\u00ff\u00fe",
                "x-api-key: sk-bf-nobody",
                "x-request-id: " + "r".repeat(500),
                "x-request-id: a\u00e9\u0001",
                "x-bf-async: maybe",
                "x-bf-async-job-result-ttl: -5",
                "x-bf-async-job-result-ttl: 99999999999999999999",
                "x-bf-async-id: %00",
                "Origin: null",
                "Origin: https://evil.example",
                "Access-Control-Request-Method: POST",
                "Expect: something-else",
                "Accept-Encoding: gzip;q=abc",
                "Connection: upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA",
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
        }
        headerSets.add(many.toString());
        return headerSets.stream().flatMap(header -> Stream.of(
                DynamicTest.dynamicTest("POST with " + shorten(header), () -> gateway.exchange("chat with " + shorten(header), "/v1/chat/completions",
                        raw("POST /v1/chat/completions HTTP/1.1", JSON, "Content-Type: application/json", "Content-Length: " + JSON.length(), header),
                        false, true)),
                DynamicTest.dynamicTest("GET with " + shorten(header), () -> gateway.exchange("models with " + shorten(header), "/v1/models",
                        raw("GET /v1/models HTTP/1.1", "", header), false, true)),
                DynamicTest.dynamicTest("Anthropic with " + shorten(header), () -> gateway.exchange("anthropic with " + shorten(header),
                        "/anthropic/v1/messages", raw("POST /anthropic/v1/messages HTTP/1.1", JSON, "Content-Type: application/json",
                                "Content-Length: " + JSON.length(), header), false, true))));
    }

    @TestFactory
    Stream<DynamicTest> brokenFramingIsRefusedCleanly() {
        String chat = "POST /v1/chat/completions HTTP/1.1";
        return Stream.of(
                DynamicTest.dynamicTest("Content-Length not a number", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Content-Length: abc"))),
                DynamicTest.dynamicTest("negative Content-Length", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Content-Length: -1"))),
                DynamicTest.dynamicTest("two different Content-Lengths", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Content-Length: 5", "Content-Length: " + JSON.length()))),
                DynamicTest.dynamicTest("huge Content-Length", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Content-Length: 99999999999999999999"))),
                DynamicTest.dynamicTest("Content-Length shorter than the body", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Content-Length: 5"))),
                DynamicTest.dynamicTest("Transfer-Encoding and Content-Length", () -> exchange(raw(chat, "5\r\n{\"a\":\r\n0\r\n\r\n",
                        "Content-Type: application/json", "Transfer-Encoding: chunked", "Content-Length: 3"))),
                DynamicTest.dynamicTest("bad chunk size", () -> exchange(raw(chat, "zz\r\n{}\r\n0\r\n\r\n", "Content-Type: application/json",
                        "Transfer-Encoding: chunked"))),
                DynamicTest.dynamicTest("unknown Transfer-Encoding", () -> exchange(raw(chat, JSON, "Content-Type: application/json",
                        "Transfer-Encoding: gzip"))),
                DynamicTest.dynamicTest("chunked JSON split mid-token", () -> exchange(raw(chat, "3\r\n{\"m\r\n3\r\nodel\r\n0\r\n\r\n",
                        "Content-Type: application/json", "Transfer-Encoding: chunked"))),
                DynamicTest.dynamicTest("body cut short, then the caller stops sending", () -> gateway.exchange("truncated",
                        "/v1/chat/completions", raw(chat, JSON.substring(0, 10), "Content-Type: application/json", "Content-Length: " + JSON.length()),
                        true, false)),
                DynamicTest.dynamicTest("chunked body without its last chunk, then the caller stops sending", () -> gateway.exchange(
                        "unterminated chunks", "/v1/chat/completions", raw(chat, "5\r\n{\"a\":", "Content-Type: application/json",
                                "Transfer-Encoding: chunked"), true, false)),
                DynamicTest.dynamicTest("multipart upload with a broken body", () -> gateway.exchange("broken multipart", "/v1/files",
                        raw("POST /v1/files HTTP/1.1", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nxx",
                                "Content-Type: multipart/form-data; boundary=b", "Content-Length: 70"), true, false)),
                DynamicTest.dynamicTest("multipart upload without a boundary", () -> exchange(raw("POST /v1/files HTTP/1.1", "--b--\r\n",
                        "Content-Type: multipart/form-data", "Content-Length: 7"))),
                DynamicTest.dynamicTest("upload declared as JSON", () -> exchange(raw("POST /v1/files HTTP/1.1", JSON,
                        "Content-Type: application/json", "Content-Length: " + JSON.length()))));
    }

    private static void send(FuzzGateway gateway, FuzzRoutes.Route route, String target, String method) {
        String what = method + " " + shorten(target);
        List<String> headers = new ArrayList<>(List.of(route.headers()));
        String body = "";
        if (method.equals("POST") || method.equals("PATCH") || method.equals("PUT")) {
            body = JSON;
            headers.add("Content-Type: application/json");
            headers.add("Content-Length: " + body.length());
        }
        gateway.exchange(what, target, raw(method + " " + target + " HTTP/1.1", body, headers.toArray(String[]::new)), false, true);
    }

    private static void exchange(byte[] request) {
        gateway.exchange(new String(request, 0, Math.min(80, request.length), StandardCharsets.ISO_8859_1), "/v1", request, false, true);
    }

    private static byte[] raw(String requestLine, String body, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("[\\x00-\\x1f]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
