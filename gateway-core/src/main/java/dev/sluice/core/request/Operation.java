package dev.sluice.core.request;

/** The inference operations the gateway serves, each with its OpenAI path relative to {@code /v1}. */
public enum Operation {
    CHAT_COMPLETIONS("chat/completions"),
    COMPLETIONS("completions"),
    RESPONSES("responses"),
    EMBEDDINGS("embeddings");

    private final String path;

    Operation(String path) {
        this.path = path;
    }

    /** The path below {@code /v1}, without a leading slash: {@code chat/completions}. */
    public String path() {
        return path;
    }

    /** The operation served at this path below {@code /v1}, or {@code null}. */
    public static Operation fromPath(String path) {
        for (Operation operation : values()) {
            if (operation.path.equals(path)) {
                return operation;
            }
        }
        return null;
    }

    /** Whether the operation can answer as a stream of server-sent events. */
    public boolean streamable() {
        return this != EMBEDDINGS;
    }
}
