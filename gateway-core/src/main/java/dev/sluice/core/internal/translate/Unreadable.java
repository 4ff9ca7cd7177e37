package dev.sluice.core.internal.translate;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.UnreadableAnswerException;

import java.util.function.Supplier;

/** A provider's answer that its format's codec could not use, reported as that provider's protocol error (a 502). */
final class Unreadable {

    private Unreadable() {
    }

    static <T> T fromProvider(String provider, Supplier<T> translating) {
        try {
            return translating.get();
        } catch (UnreadableAnswerException unreadable) {
            throw asProviderError(provider, unreadable);
        }
    }

    static boolean is(Throwable error) {
        return error instanceof UnreadableAnswerException;
    }

    /** Named after the provider, as configured: a failure of "groq" says groq, not the format it speaks. */
    static UpstreamProtocolException asProviderError(String provider, Throwable unreadable) {
        return new UpstreamProtocolException(provider, "provider '" + provider + "' answered what its format does not allow: "
                + unreadable.getMessage());
    }
}
