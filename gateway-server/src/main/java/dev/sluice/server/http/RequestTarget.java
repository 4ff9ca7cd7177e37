package dev.sluice.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.Map;

/**
 * The request line's target as the caller sent it. Read here rather than through {@code java.net.URI} (which Reactor
 * Netty's {@code fullPath()} uses), because that refuses with an exception what any caller may send, such as
 * {@code %zz}, and decodes escapes before the path is split, so that {@code %2F} would split a segment.
 */
public final class RequestTarget {

    private RequestTarget() {
    }

    /** The path as sent, escapes kept, without the query and the fragment. */
    public static String path(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(0, end);
    }

    /** Whether every {@code %} in the target (path and query) starts an escape of two hex digits. */
    public static boolean escapesWellFormed(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '%') {
                if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /** Whether the (decoded) text holds a control character, which no path parameter needs and some stores refuse. */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name of the first query parameter whose decoded name or value holds a control character; {@code null} when
     * none does. Call it on a target whose escapes are {@linkplain #escapesWellFormed well formed}.
     */
    public static String queryParameterWithControlCharacter(String uri) {
        if (uri.indexOf('?') < 0) {
            return null;
        }
        for (Map.Entry<String, List<String>> parameter : new QueryStringDecoder(uri).parameters().entrySet()) {
            if (hasControlCharacter(parameter.getKey()) || parameter.getValue().stream().anyMatch(RequestTarget::hasControlCharacter)) {
                return HeaderValues.safe(parameter.getKey());
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
