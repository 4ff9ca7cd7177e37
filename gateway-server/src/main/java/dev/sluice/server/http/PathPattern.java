package dev.sluice.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A route path whose segments are literal or {@code {name}} placeholders matching one whole segment; a last
 * placeholder {@code {name...}} matches the rest of the path, slashes included (a Gemini model such as
 * {@code openai/gpt-4o-mini:generateContent}).
 */
final class PathPattern {

    private static final String REST = "...}";

    private final String pattern;
    private final String[] segments;
    private final boolean endsWithRest;

    PathPattern(String pattern) {
        this.pattern = pattern;
        this.segments = pattern.substring(1).split("/", -1);
        this.endsWithRest = segments[segments.length - 1].endsWith(REST);
    }

    /** The pattern as written: {@code /v1/files/{file_id}}. */
    String template() {
        return pattern;
    }

    /** Whether the path's segments (split at {@code /}, without the leading one) fit the pattern. */
    boolean matches(String[] parts) {
        if (endsWithRest ? parts.length < segments.length : parts.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!(segment.startsWith("{") && segment.endsWith("}")) && !segment.equals(parts[i])) {
                return false;
            }
        }
        return true;
    }

    /** A request path's segments, without the leading {@code /} and the query: split once, matched against every route. */
    static String[] segments(String path) {
        int query = path.indexOf('?');
        return (query < 0 ? path : path.substring(0, query)).substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    }

    /** The placeholder values when the path's {@link #segments} fit the pattern, decoded; {@code null} when they do not. */
    Map<String, String> match(String[] parts) {
        if (!matches(parts)) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (params == null) {
                    params = new HashMap<>(2);
                }
                boolean rest = segment.endsWith(REST);
                String name = segment.substring(1, segment.length() - (rest ? REST.length() : 1));
                String value = rest ? String.join("/", Arrays.asList(parts).subList(i, parts.length)) : parts[i];
                params.put(name, QueryStringDecoder.decodeComponent(value, StandardCharsets.UTF_8));
            }
        }
        return params == null ? Map.of() : params;
    }
}
