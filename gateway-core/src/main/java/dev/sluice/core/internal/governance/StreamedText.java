package dev.sluice.core.internal.governance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * How much generated text a stream event carries, in every wire format: the string values of its content deltas
 * (OpenAI's {@code delta.content}, tool-call {@code arguments}, Anthropic's {@code text} and {@code partial_json},
 * the Responses API's {@code delta}, Gemini's {@code parts[].text}), for estimating the output of a stream that
 * ended before its provider reported usage.
 */
final class StreamedText {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> GENERATED = Set.of("content", "text", "delta", "arguments", "partial_json", "thinking",
            "refusal", "reasoning_content");

    private StreamedText() {
    }

    /** Characters of generated text in the event; 0 for an event that is not JSON. */
    static long charsOf(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{' || repeatsText(event.event())) {
            return 0;
        }
        long chars = 0;
        try (JsonParser parser = JSON.createParser(data.getBytes(StandardCharsets.UTF_8))) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING && GENERATED.contains(String.valueOf(parser.currentName()))) {
                    chars += parser.getTextLength();
                }
            }
        } catch (IOException malformed) {
            // Counted up to where it broke.
        }
        return chars;
    }

    /** The Responses API repeats the text of its deltas in its other events ({@code *.done}, {@code response.completed}). */
    private static boolean repeatsText(@Nullable String eventName) {
        return eventName != null && eventName.startsWith("response.") && !eventName.endsWith(".delta");
    }
}
