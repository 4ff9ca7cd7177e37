package dev.sluice.server.observe;

import java.util.Set;

/**
 * The {@code method} tag of a request's meters. A request line may carry any token as its method
 * ({@code curl -X ANYTOKEN}), and each new tag value is a new meter kept for ever: outside the standard methods the
 * tag is {@code other}.
 */
final class MethodTag {

    static final String OTHER = "other";
    private static final Set<String> STANDARD = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private MethodTag() {
    }

    static String of(String method) {
        return STANDARD.contains(method) ? method : OTHER;
    }
}
