package dev.sluice.core.format.chat;

import java.util.Objects;

/** Whether and which tool the model must call; {@code name} is set only for {@link Mode#NAMED}. */
public record ToolChoice(Mode mode, String name) {

    /** How the model may use tools. */
    public enum Mode {
        AUTO, NONE, REQUIRED, NAMED
    }

    public ToolChoice {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.NAMED) != (name != null)) {
            throw new IllegalArgumentException("a name is given exactly when the mode is NAMED");
        }
    }

    public static ToolChoice of(Mode mode) {
        return new ToolChoice(mode, null);
    }

    public static ToolChoice named(String name) {
        return new ToolChoice(Mode.NAMED, name);
    }
}
