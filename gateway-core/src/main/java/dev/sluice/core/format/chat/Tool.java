package dev.sluice.core.format.chat;

import java.util.Objects;

/** A function the model may call, its parameters described by a JSON Schema kept as raw JSON text. */
public record Tool(String name, String description, String parametersSchemaJson) {
    public Tool {
        Objects.requireNonNull(name, "name");
    }
}
