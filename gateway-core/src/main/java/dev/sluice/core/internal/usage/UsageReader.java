package dev.sluice.core.internal.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads token usage from answers without building a tree, in each wire format: {@code usage} of an OpenAI or
 * Anthropic body (chat, completions and embeddings count {@code prompt/completion_tokens}, responses and Anthropic
 * messages {@code input/output_tokens}), Gemini's {@code usageMetadata}; in streams, the usage chunk of an OpenAI chat
 * stream, {@code response.usage} of a responses stream's final event, {@code message.usage} of Anthropic's
 * {@code message_start} and {@code usage} of its {@code message_delta}, and each Gemini chunk's {@code usageMetadata}.
 * A stream may report its usage in parts; {@link TokenCounts#merge} puts them together.
 */
public final class UsageReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private UsageReader() {
    }

    /** The usage of a unary answer; {@link TokenCounts#NONE} when it reports none. */
    public static TokenCounts fromBody(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            return readTopLevelUsage(parser, false);
        } catch (IOException e) {
            return TokenCounts.NONE;
        }
    }

    /**
     * The usage carried by a stream event, or {@code null} when the event carries none. Cheap for the
     * events that carry none: only those that contain a usage object are parsed.
     */
    public static TokenCounts fromEvent(SseEvent event) {
        String data = event.data();
        if (!data.contains("\"usage")) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(data.getBytes(StandardCharsets.UTF_8))) {
            TokenCounts counts = readTopLevelUsage(parser, true);
            return counts == TokenCounts.NONE ? null : counts;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether a chat or completions chunk is the usage-only chunk that {@code include_usage} adds. */
    public static boolean isUsageOnlyChunk(SseEvent event) {
        String data = event.data();
        return event.event() == null && (data.contains("\"choices\":[]") || data.contains("\"choices\": []"))
                && fromEvent(event) != null;
    }

    private static TokenCounts readTopLevelUsage(JsonParser parser, boolean lookInsideResponse) throws IOException {
        return parser.nextToken() == JsonToken.START_OBJECT ? usageOfObject(parser, lookInsideResponse) : TokenCounts.NONE;
    }

    /** Reads the fields of an object whose START_OBJECT was just read, keeping its {@code usage}. */
    private static TokenCounts usageOfObject(JsonParser parser, boolean lookInsideResponse) throws IOException {
        TokenCounts found = TokenCounts.NONE;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ((field.equals("usage") || field.equals("usageMetadata")) && value == JsonToken.START_OBJECT) {
                found = readUsageObject(parser);
            } else if (lookInsideResponse && (field.equals("response") || field.equals("message")) && value == JsonToken.START_OBJECT) {
                TokenCounts inner = usageOfObject(parser, false);
                if (inner != TokenCounts.NONE) {
                    found = inner;
                }
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    private static TokenCounts readUsageObject(JsonParser parser) throws IOException {
        long input = 0;
        long output = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                switch (field) {
                    case "prompt_tokens", "input_tokens", "promptTokenCount" -> input += parser.getLongValue();
                    // Anthropic counts cached prompt tokens apart from input_tokens; OpenAI and Gemini include them.
                    case "cache_creation_input_tokens", "cache_read_input_tokens" -> input += parser.getLongValue();
                    case "completion_tokens", "output_tokens", "candidatesTokenCount" -> output += parser.getLongValue();
                    // Gemini counts thinking apart from the answer, and bills both as output.
                    case "thoughtsTokenCount" -> output += parser.getLongValue();
                    default -> { }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new TokenCounts(input, output);
    }
}
