package dev.sluice.server.http;

import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.request.Caller;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Finds the caller's virtual key in the headers SDKs already send: {@code x-bf-vk}, or a value starting
 * with {@code sk-bf-} in {@code Authorization: Bearer}, {@code x-api-key}, {@code x-goog-api-key} or
 * {@code api-key}. Any other credential is not a virtual key, and is never forwarded upstream either.
 */
public final class CallerHeaders {

    private static final String[] KEY_HEADERS = {"x-api-key", "x-goog-api-key", "api-key"};
    private static final String BEARER = "bearer ";

    private CallerHeaders() {
    }

    public static Caller from(HttpHeaders headers) {
        String explicit = headers.get("x-bf-vk");
        if (explicit != null && !explicit.isBlank()) {
            return Caller.withKey(explicit.strip());
        }
        String authorization = headers.get("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).strip();
            if (VirtualKeyValues.looksLikeVirtualKey(token)) {
                return Caller.withKey(token);
            }
        }
        for (String header : KEY_HEADERS) {
            String value = headers.get(header);
            if (value != null && VirtualKeyValues.looksLikeVirtualKey(value.strip())) {
                return Caller.withKey(value.strip());
            }
        }
        return Caller.anonymous();
    }
}
