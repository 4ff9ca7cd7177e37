package dev.sluice.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a format's token usage from answers and stream events without building a tree: the counters of its usage
 * object ({@code usage}, {@code usageMetadata}), found at the top level, or in a stream event also one level down (a
 * Responses stream's {@code response}, Anthropic's {@code message_start} {@code message}). Each format says which of
 * the object's counters are input and which output; counters of one side add up.
 */
public final class UsageFields {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String object;
    private final String quotedObject;
    private final Set<String> inStreamsWithin;
    private final Set<String> input;
    private final Set<String> output;

    /**
     * @param object          the name of the usage object
     * @param inStreamsWithin objects of a stream event that may hold the usage object, besides the top level
     * @param input           counters of prompt tokens
     * @param output          counters of generated tokens
     */
    public UsageFields(String object, Set<String> inStreamsWithin, Set<String> input, Set<String> output) {
        this.object = object;
        this.quotedObject = "\"" + object;
        this.inStreamsWithin = Set.copyOf(inStreamsWithin);
        this.input = Set.copyOf(input);
        this.output = Set.copyOf(output);
    }

    /** The usage of a unary answer; {@link TokenCounts#NONE} when it reports none. */
    public TokenCounts ofBody(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? usageIn(parser, Set.of()) : TokenCounts.NONE;
        } catch (IOException e) {
            return TokenCounts.NONE;
        }
    }

    /** The usage a stream event carries; cheap for the many that carry none, which are not parsed. */
    public Optional<TokenCounts> ofEvent(SseEvent event) {
        String data = event.data();
        if (!data.contains(quotedObject)) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(data.getBytes(StandardCharsets.UTF_8))) {
            TokenCounts counts = parser.nextToken() == JsonToken.START_OBJECT ? usageIn(parser, inStreamsWithin) : TokenCounts.NONE;
            return counts == TokenCounts.NONE ? Optional.empty() : Optional.of(counts);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads the fields of an object whose START_OBJECT was just read, keeping its usage (or a nested one's). */
    private TokenCounts usageIn(JsonParser parser, Set<String> within) throws IOException {
        TokenCounts found = TokenCounts.NONE;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals(object) && value == JsonToken.START_OBJECT) {
                found = counters(parser);
            } else if (within.contains(field) && value == JsonToken.START_OBJECT) {
                TokenCounts inner = usageIn(parser, Set.of());
                if (inner != TokenCounts.NONE) {
                    found = inner;
                }
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    private TokenCounts counters(JsonParser parser) throws IOException {
        long in = 0;
        long out = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                if (input.contains(field)) {
                    in += parser.getLongValue();
                } else if (output.contains(field)) {
                    out += parser.getLongValue();
                }
            } else {
                parser.skipChildren();
            }
        }
        return new TokenCounts(in, out);
    }
}
