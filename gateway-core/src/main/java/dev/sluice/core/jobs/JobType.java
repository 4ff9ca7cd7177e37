package dev.sluice.core.jobs;

import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.Operation;

import java.util.Locale;
import java.util.Objects;

/**
 * What a job runs: an operation, asked in a wire format. It is stored with the job as one string, the operation's
 * path for OpenAI's format ({@code chat/completions}, as the {@code /v1/async/{type}} routes name it) and the format
 * before it for the others ({@code anthropic:chat/completions}); a job is only found under the type it was submitted as.
 */
public record JobType(WireFormat format, Operation operation) {

    public JobType {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(operation, "operation");
    }

    public static JobType openAi(Operation operation) {
        return new JobType(WireFormat.OPENAI, operation);
    }

    /** The type as stored. */
    public String wire() {
        return format == WireFormat.OPENAI ? operation.path() : format.name().toLowerCase(Locale.ROOT) + ":" + operation.path();
    }

    /** The type a stored string names, or {@code null} when it names none. */
    public static JobType parse(String wire) {
        int colon = wire.indexOf(':');
        WireFormat format = WireFormat.OPENAI;
        if (colon >= 0) {
            try {
                format = WireFormat.valueOf(wire.substring(0, colon).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }
        Operation operation = Operation.fromPath(wire.substring(colon + 1));
        return operation == null ? null : new JobType(format, operation);
    }
}
