package dev.sluice.core.format.chat;

/** Who speaks a message; the system prompt is not a message but {@link ChatRequest#system()}. */
public enum Role {
    USER, ASSISTANT, TOOL
}
