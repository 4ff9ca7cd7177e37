package dev.sluice.core.internal.governance;

import dev.sluice.core.format.WireFormat;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.jspecify.annotations.Nullable;

import java.util.function.LongSupplier;

/**
 * What one stream has used so far: the usage its provider reported, if any, and the generated text it carried, so
 * that a stream ending before its usage (OpenAI-format providers report it last) is still charged for what it used.
 * Events arrive one at a time; the end may be seen on another thread, hence the volatile fields.
 */
final class StreamCharge {

    private final WireFormat format;
    private final LongSupplier promptTokens;
    private volatile @Nullable TokenCounts reported;
    private volatile long generatedChars;
    private volatile boolean started;

    /** @param promptTokens the prompt's estimate, worked out only when the provider did not report it */
    StreamCharge(WireFormat format, LongSupplier promptTokens) {
        this.format = format;
        this.promptTokens = promptTokens;
    }

    void observe(SseEvent event) {
        started = true;
        format.usage(event).ifPresent(counts -> reported = reported == null ? counts : reported.merge(counts));
        generatedChars += format.generatedChars(event);
    }

    /** Whether any event arrived: a stream refused before its first event was not answered, and costs nothing. */
    boolean started() {
        return started;
    }

    /** The charge of a stream that ran to its end: its reported usage, or the estimate when it reported none. */
    TokenCounts completed() {
        return reported != null ? reported : estimated(TokenCounts.NONE);
    }

    /**
     * The charge of a stream cut short: what was reported, with the prompt estimated when it was not reported and
     * the output at least what the text streamed so far stands for (a usage reported early counts little output).
     */
    TokenCounts cutShort() {
        return estimated(reported == null ? TokenCounts.NONE : reported);
    }

    private TokenCounts estimated(TokenCounts known) {
        long input = known.input() > 0 ? known.input() : promptTokens.getAsLong();
        long output = Math.max(known.output(), RequestEstimate.tokensOf(generatedChars));
        return new TokenCounts(input, output);
    }
}
