package dev.sluice.core.format.chat;

import java.util.List;

/** A complete, non-streamed chat answer whose content holds {@link Part.Text} and {@link Part.ToolCall} parts. */
public record ChatResponse(String id, String model, List<Part> content, StopReason stopReason, Usage usage) {
    public ChatResponse {
        content = List.copyOf(content);
        usage = usage == null ? Usage.ZERO : usage;
    }
}
