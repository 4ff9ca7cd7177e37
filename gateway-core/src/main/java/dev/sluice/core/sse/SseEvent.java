package dev.sluice.core.sse;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One server-sent event as it travels from a provider's socket to the caller's.
 *
 * @param event the {@code event:} name, or {@code null} for an unnamed event
 * @param data  the {@code data:} payload, lines joined with {@code \n}
 */
public record SseEvent(@Nullable String event, String data) {

    /** The payload OpenAI sends last on chat and completion streams. */
    public static final String DONE = "[DONE]";

    public SseEvent {
        Objects.requireNonNull(data, "data");
    }

    public static SseEvent data(String data) {
        return new SseEvent(null, data);
    }

    public static SseEvent named(String event, String data) {
        return new SseEvent(event, data);
    }

    public boolean isDone() {
        return event == null && DONE.equals(data);
    }

    /** The event in wire form, ending with the blank line that dispatches it. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(data.length() + 32);
        if (event != null) {
            out.append("event: ").append(event).append('\n');
        }
        int start = 0;
        for (int newline; (newline = data.indexOf('\n', start)) >= 0; start = newline + 1) {
            out.append("data: ").append(data, start, newline).append('\n');
        }
        out.append("data: ").append(data, start, data.length()).append("\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
