package dev.sluice.core.internal.translate;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;

import java.util.function.Supplier;

/** Decoding a provider's answer: what would be the caller's fault in a request is the provider's in a response. */
public final class Upstream {

    private Upstream() {
    }

    /** Runs {@code decoding}, reporting a malformed body as a protocol error of {@code provider}. */
    public static <T> T decode(String provider, Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (InvalidRequestException e) {
            throw new UpstreamProtocolException(provider, e.getMessage());
        }
    }
}
