package dev.sluice.core.jobs;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.WireFormats;
import dev.sluice.core.format.openai.OpenAiFormat;

import java.util.Objects;
import java.util.Optional;

/**
 * What a job runs: an operation, asked in a wire format. It is stored with the job as one string, the operation's
 * path for OpenAI's format ({@code chat/completions}, as the {@code /v1/async/{type}} routes name it) and the format's
 * name before it for the others ({@code anthropic:chat/completions}); a job is only found under the type it was
 * submitted as.
 */
public record JobType(WireFormat format, Operation operation) {

    public JobType {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(operation, "operation");
    }

    public static JobType openAi(Operation operation) {
        return new JobType(OpenAiFormat.OPENAI, operation);
    }

    /** The type as stored. */
    public String wire() {
        return format == OpenAiFormat.OPENAI ? operation.path() : format.name() + ":" + operation.path();
    }

    /** The type a stored string names among {@code formats}; empty when it names none. */
    public static Optional<JobType> parse(String wire, WireFormats formats) {
        int colon = wire.indexOf(':');
        Optional<WireFormat> format = colon < 0 ? Optional.of(OpenAiFormat.OPENAI) : formats.named(wire.substring(0, colon));
        Optional<Operation> operation = Operation.ofPath(wire.substring(colon + 1));
        return format.flatMap(known -> operation.map(op -> new JobType(known, op)));
    }
}
