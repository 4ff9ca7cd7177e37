package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.format.Operation;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * What the mock reads from an OpenAI request: the text to echo back and how many tokens the input is.
 *
 * @param reply        the last user text, or {@link #NO_USER_MESSAGE}
 * @param promptTokens words over every input text
 */
record MockPrompt(String reply, int promptTokens) {

    static final String NO_USER_MESSAGE = "(no user message)";

    static MockPrompt of(Operation operation, JsonNode request) {
        List<String> inputs = new ArrayList<>();
        String last = switch (operation) {
            case CHAT_COMPLETIONS -> chat(request.path("messages"), inputs);
            case COMPLETIONS -> completion(request.path("prompt"), inputs);
            case RESPONSES -> responses(request.path("input"), inputs);
            case EMBEDDINGS, COUNT_TOKENS -> throw new IllegalArgumentException(operation + " has no reply");
        };
        int tokens = 0;
        for (String input : inputs) {
            tokens += MockTokens.count(input);
        }
        return new MockPrompt(last == null || last.isEmpty() ? NO_USER_MESSAGE : last, tokens);
    }

    private static @Nullable String chat(JsonNode messages, List<String> inputs) {
        String last = null;
        for (JsonNode message : messages) {
            String text = text(message.path("content"), "text");
            inputs.add(text);
            if ("user".equals(message.path("role").asText())) {
                last = text;
            }
        }
        return last;
    }

    private static @Nullable String completion(JsonNode prompt, List<String> inputs) {
        if (prompt.isTextual()) {
            inputs.add(prompt.asText());
            return prompt.asText();
        }
        String first = null;
        for (JsonNode item : prompt) {
            if (item.isTextual()) {
                inputs.add(item.asText());
                first = first == null ? item.asText() : first;
            }
        }
        return first;
    }

    private static @Nullable String responses(JsonNode input, List<String> inputs) {
        if (input.isTextual()) {
            inputs.add(input.asText());
            return input.asText();
        }
        String last = null;
        for (JsonNode item : input) {
            String text = text(item.path("content"), "input_text", "output_text", "text");
            inputs.add(text);
            boolean message = item.path("type").isMissingNode() || "message".equals(item.path("type").asText());
            if (message && "user".equals(item.path("role").asText())) {
                last = text;
            }
        }
        return last;
    }

    /** A content string, or the text parts of a content array joined by newlines. */
    private static String text(JsonNode content, String... textTypes) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder joined = new StringBuilder();
        for (JsonNode part : content) {
            if (List.of(textTypes).contains(part.path("type").asText()) && part.path("text").isTextual()) {
                if (!joined.isEmpty()) {
                    joined.append('\n');
                }
                joined.append(part.path("text").asText());
            }
        }
        return joined.toString();
    }
}
