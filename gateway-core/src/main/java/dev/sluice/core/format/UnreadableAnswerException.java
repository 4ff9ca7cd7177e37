package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;

import java.util.function.Supplier;

/**
 * A provider's answer that its format's codec cannot use: garbled, or an error dressed as an answer. Codecs do not
 * know which provider sent it; the engine reports it as that provider's
 * {@link dev.sluice.core.error.UpstreamProtocolException}.
 */
public final class UnreadableAnswerException extends RuntimeException {

    public UnreadableAnswerException(String message) {
        super(message, null, false, false);
    }

    /** Runs {@code decoding} of a provider's answer: what would be the caller's fault in a request is the provider's here. */
    public static <T> T decode(Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (InvalidRequestException malformed) {
            throw new UnreadableAnswerException(malformed.getMessage());
        }
    }
}
