package dev.sluice.core.format.chat;

import java.util.List;
import java.util.Objects;

/** One turn of the conversation: who spoke, and what. */
public record Message(Role role, List<Part> content) {
    public Message {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
    }
}
