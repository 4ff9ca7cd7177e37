package dev.sluice.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How much generated text a stream event carries: the string values of the fields that a format's deltas put text in
 * (OpenAI's {@code content} and tool-call {@code arguments}, Anthropic's {@code text} and {@code partial_json}, the
 * Responses API's {@code delta}, Gemini's {@code text}), for estimating the output of a stream that ended before its
 * provider reported usage.
 *
 * @param fields the names of the fields whose string values are generated text
 */
public record GeneratedText(Set<String> fields) {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    public GeneratedText {
        fields = Set.copyOf(fields);
    }

    /** Characters of generated text in the event; 0 for an event that is not a JSON object. */
    public long charsOf(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{') {
            return 0;
        }
        long chars = 0;
        try (JsonParser parser = JSON.createParser(data.getBytes(StandardCharsets.UTF_8))) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING && fields.contains(String.valueOf(parser.currentName()))) {
                    chars += parser.getTextLength();
                }
            }
        } catch (IOException malformed) {
            // Counted up to where it broke.
        }
        return chars;
    }
}
