package dev.sluice.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A route path whose segments are literal or {@code {name}} placeholders matching one whole segment. */
final class PathPattern {

    private final String pattern;
    private final String[] segments;

    PathPattern(String pattern) {
        this.pattern = pattern;
        this.segments = pattern.substring(1).split("/", -1);
    }

    /** The pattern as written: {@code /v1/files/{file_id}}. */
    String template() {
        return pattern;
    }

    /** Whether the path's segments (split at {@code /}, without the leading one) fit the pattern. */
    boolean matches(String[] parts) {
        if (parts.length != segments.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String segment = segments[i];
            if (!(segment.startsWith("{") && segment.endsWith("}")) && !segment.equals(parts[i])) {
                return false;
            }
        }
        return true;
    }

    /** The placeholder values when the path matches, decoded; {@code null} when it does not. */
    Map<String, String> match(String path) {
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length != segments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (params == null) {
                    params = new HashMap<>(2);
                }
                params.put(segment.substring(1, segment.length() - 1), QueryStringDecoder.decodeComponent(parts[i], StandardCharsets.UTF_8));
            } else if (!segment.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
