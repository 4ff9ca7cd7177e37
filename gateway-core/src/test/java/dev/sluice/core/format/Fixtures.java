package dev.sluice.core.format;

import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseDecoder;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the wire fixtures under {@code src/test/resources/translate/} and parses JSON for structural comparison. */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/translate/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<SseEvent> sse(String name) {
        return new SseDecoder().decode(bytes(name));
    }

    public static Map<String, Object> json(byte[] body) {
        return Json.parseObject(body, "test");
    }

    public static Map<String, Object> json(String body) {
        return json(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Walks a parsed JSON tree: string keys index objects, integers index arrays. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object json, Object... path) {
        Object node = json;
        for (Object step : path) {
            node = step instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(step);
        }
        return (T) node;
    }
}
