package dev.sluice.core.sse;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the chunks of a {@code text/event-stream} body, split anywhere, into events. Stateful and not
 * thread-safe: one decoder per stream, fed in order.
 *
 * <p>Lines are cut at byte level before decoding, which is safe for UTF-8 because a line break byte never
 * occurs inside a multi-byte character.
 */
public final class SseDecoder {

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCarriageReturn;
    private @Nullable String event;
    private @Nullable StringBuilder data;

    /** Feeds the next chunk and returns the events it completed (often none, sometimes several). */
    public List<SseEvent> decode(byte[] chunk) {
        List<SseEvent> events = null;
        for (byte b : chunk) {
            if (b == '\n' && lastWasCarriageReturn) {
                lastWasCarriageReturn = false;
                continue;
            }
            lastWasCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                SseEvent completed = endLine();
                if (completed != null) {
                    if (events == null) {
                        events = new ArrayList<>(2);
                    }
                    events.add(completed);
                }
            } else {
                append(b);
            }
        }
        return events == null ? List.of() : events;
    }

    /** Whether bytes of an unfinished event are pending: the stream stopped in the middle of an event. */
    public boolean hasPartialEvent() {
        return lineLength > 0 || data != null || event != null;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private @Nullable SseEvent endLine() {
        if (lineLength == 0) {
            return dispatch();
        }
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.startsWith(":")) {
            return null;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + (text.startsWith(" ", colon + 1) ? 2 : 1));
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> { } // id, retry and unknown fields carry nothing the gateway forwards
        }
        return null;
    }

    private @Nullable SseEvent dispatch() {
        SseEvent completed = data == null ? null : new SseEvent(event, data.toString());
        event = null;
        data = null;
        return completed;
    }
}
