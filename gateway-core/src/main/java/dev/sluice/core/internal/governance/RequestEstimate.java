package dev.sluice.core.internal.governance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Set;

/**
 * What a request will cost before it is answered, read in one pass over its body without building a tree: its
 * prompt as the text of its string values at about four characters a token, and its output as the limit it names
 * ({@code max_tokens}, {@code max_completion_tokens}, {@code max_output_tokens}, Gemini's {@code maxOutputTokens}).
 *
 * @param promptTokens the prompt's estimated tokens
 * @param outputLimit  the output limit the request names, or 0 when it names none
 */
record RequestEstimate(long promptTokens, long outputLimit) {

    static final int CHARS_PER_TOKEN = 4;

    private static final JsonFactory JSON = JsonFactory.builder().build();
    // Values that name things rather than say them; not prompt text.
    private static final Set<String> NOT_TEXT = Set.of("model", "role", "type", "stream", "fallbacks");
    private static final Set<String> OUTPUT_LIMITS = Set.of("max_tokens", "max_completion_tokens", "max_output_tokens",
            "maxOutputTokens");

    static RequestEstimate of(byte[] body) {
        long chars = 0;
        long outputLimit = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING && !NOT_TEXT.contains(nameOf(parser))) {
                    chars += parser.getTextLength();
                } else if (token == JsonToken.VALUE_NUMBER_INT && OUTPUT_LIMITS.contains(nameOf(parser))) {
                    outputLimit = Math.max(outputLimit, parser.getLongValue());
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // The body was checked before admission; whatever was read so far is the estimate.
        }
        return new RequestEstimate(tokensOf(chars), outputLimit);
    }

    /** The field a value belongs to, also for the items of an array field; "" at the top level. */
    private static String nameOf(JsonParser parser) {
        JsonStreamContext context = parser.getParsingContext();
        while (context != null && context.inArray()) {
            context = context.getParent();
        }
        String name = context == null ? null : context.getCurrentName();
        return name == null ? "" : name;
    }

    /** Characters of text as tokens, rounded up. */
    static long tokensOf(long chars) {
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
}
