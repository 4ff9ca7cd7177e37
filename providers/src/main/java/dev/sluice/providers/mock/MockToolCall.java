package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The tool the mock calls: when a chat offers tools and the user spoke last, the mock calls the tool that
 * {@code tool_choice} names, or else the first one offered, with empty arguments; after the tool's result it answers
 * in text again. This lets clients test a whole tool round trip without a real model.
 */
record MockToolCall(String id, String name) {

    static final String ARGUMENTS = "{}";

    /** The call to make for this chat request, or {@code null} to answer in text. */
    static @Nullable MockToolCall of(JsonNode request) {
        JsonNode tools = request.path("tools");
        JsonNode choice = request.path("tool_choice");
        JsonNode messages = request.path("messages");
        if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asText()) || !messages.isArray() || messages.isEmpty()
                || !"user".equals(messages.get(messages.size() - 1).path("role").asText())) {
            return null;
        }
        String named = choice.path("function").path("name").asText(null);
        String name = named != null ? named : tools.get(0).path("function").path("name").asText(null);
        return name == null ? null : new MockToolCall(MockIds.next("call_"), name);
    }
}
