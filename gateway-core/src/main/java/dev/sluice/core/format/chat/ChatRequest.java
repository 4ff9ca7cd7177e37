package dev.sluice.core.format.chat;

import java.util.List;
import java.util.Objects;

/** A chat request in canonical form; {@code toolChoice}, {@code maxTokens}, {@code temperature} and {@code topP} may be null. */
public record ChatRequest(String model, List<Part> system, List<Message> messages, List<Tool> tools,
                          ToolChoice toolChoice, Integer maxTokens, Double temperature, Double topP,
                          List<String> stop, boolean stream) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** The same request for another model: the provider's own name for the one the caller asked for. */
    public ChatRequest withModel(String otherModel) {
        return new ChatRequest(otherModel, system, messages, tools, toolChoice, maxTokens, temperature, topP, stop, stream);
    }
}
