package dev.sluice.providers.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns an error that a provider reports inside a 200 stream ({@code data: {"error": {...}}}, as OpenAI-compatible
 * servers and Gemini do) into a failure of the stream, so that it is never relayed as if it were an answer: before the
 * first event it can still be retried or fall back, after it the caller gets an in-band error event.
 */
public final class StreamErrors {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int IN_STREAM_STATUS = 502;

    private StreamErrors() {
    }

    /**
     * The same events, failing with an {@link UpstreamStatusException} at the first one whose data is an object with an
     * {@code error} object. Its status is the error's own numeric {@code code} when that is an HTTP error status (as
     * Gemini sends), else 502; its body is the event's data, the provider's own envelope.
     */
    public static Flux<SseEvent> failOnError(Flux<SseEvent> events, String provider) {
        return events.handle((event, sink) -> {
            int status = errorStatus(event);
            if (status == 0) {
                sink.next(event);
            } else {
                sink.error(new UpstreamStatusException(provider, status, event.data().getBytes(StandardCharsets.UTF_8), null));
            }
        });
    }

    /** The status an error event stands for, or 0 when the event is not one. */
    static int errorStatus(SseEvent event) {
        String data = event.data();
        // Most events are deltas: only parse those that may be an error.
        if (!data.contains("\"error\"")) {
            return 0;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("error".equals(field) && value == JsonToken.START_OBJECT) {
                    return statusOf(parser);
                }
                parser.skipChildren();
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // With the parser on the error object's start: its numeric code when it is an HTTP error status, else 502.
    private static int statusOf(JsonParser parser) throws IOException {
        int status = IN_STREAM_STATUS;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("code".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                int code = parser.getIntValue();
                if (code >= 400 && code < 600) {
                    status = code;
                }
            }
            parser.skipChildren();
        }
        return status;
    }
}
