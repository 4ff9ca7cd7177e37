package dev.sluice.core.format.chat;

import java.util.Objects;

/** One piece of a message's or a system prompt's content. */
public sealed interface Part {

    /** Plain text. */
    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An image, given either by {@code url} or by {@code mediaType} and {@code base64Data}. */
    record Image(String url, String mediaType, String base64Data) implements Part {
        public Image {
            if (url == null && (mediaType == null || base64Data == null)) {
                throw new IllegalArgumentException("an image needs a url, or a media type and base64 data");
            }
        }

        public static Image ofUrl(String url) {
            return new Image(url, null, null);
        }

        public static Image ofData(String mediaType, String base64Data) {
            return new Image(null, mediaType, base64Data);
        }
    }

    /** The model asks for a tool to be called with these arguments, a JSON object as text. */
    record ToolCall(String id, String name, String argumentsJson) implements Part {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        }
    }

    /** The result of the tool call with id {@code toolCallId}, as text. */
    record ToolResult(String toolCallId, String text, boolean isError) implements Part {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            text = text == null ? "" : text;
        }
    }
}
