package dev.sluice.core.format;

import java.util.Optional;

/** The operations the gateway serves, each with its path relative to {@code /v1}. */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions"),
    COMPLETIONS("completions"),
    RESPONSES("responses"),
    EMBEDDINGS("embeddings"),
    /** Anthropic's token counting; OpenAI has no such endpoint, so it is served on the Anthropic route only. */
    COUNT_TOKENS("messages/count_tokens");

    private final String path;

    Operation(String path) {
        this.path = path;
    }

    /** The path below {@code /v1}, without a leading slash: {@code chat/completions}. */
    public String path() {
        return path;
    }

    /** The operation served at this path below {@code /v1}. */
    public static Optional<Operation> ofPath(String path) {
        for (Operation operation : values()) {
            if (operation.path.equals(path)) {
                return Optional.of(operation);
            }
        }
        return Optional.empty();
    }

    /** Whether this is an inference that OpenAI's API serves, and so the {@code /v1} and async routes. */
    public boolean inference() {
        return this != COUNT_TOKENS;
    }

    /** Whether the operation can answer as a stream of server-sent events. */
    public boolean streamable() {
        return this != EMBEDDINGS && this != COUNT_TOKENS;
    }
}
