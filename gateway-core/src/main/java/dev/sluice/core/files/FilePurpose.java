package dev.sluice.core.files;

import dev.sluice.core.error.InvalidRequestException;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a file is for, as the OpenAI Files API names it; only these purposes are accepted. */
public enum FilePurpose {

    ASSISTANTS("assistants"),
    BATCH("batch"),
    BATCH_OUTPUT("batch_output"),
    FINE_TUNE("fine-tune"),
    VISION("vision"),
    USER_DATA("user_data"),
    EVALS("evals");

    /** How long a {@code batch} input file is kept when the uploader does not say. */
    public static final Duration BATCH_DEFAULT_EXPIRY = Duration.ofDays(30);

    private static final String EXPECTED = Arrays.stream(values()).map(FilePurpose::wire).collect(Collectors.joining(", "));

    private final String wire;

    FilePurpose(String wire) {
        this.wire = wire;
    }

    /** The name on the wire, e.g. {@code fine-tune}. */
    public String wire() {
        return wire;
    }

    /** How long a file of this purpose is kept when nobody says: 30 days for batch input, else for ever (empty). */
    public Optional<Duration> defaultExpiry() {
        return this == BATCH ? Optional.of(BATCH_DEFAULT_EXPIRY) : Optional.empty();
    }

    /** The purpose named {@code wire}; a 400 naming it and the accepted ones otherwise. */
    public static FilePurpose of(String wire) {
        for (FilePurpose purpose : values()) {
            if (purpose.wire.equals(wire)) {
                return purpose;
            }
        }
        String shown = wire == null ? "null" : "\"" + wire + "\"";
        throw new InvalidRequestException("purpose: " + shown + " (expected one of: " + EXPECTED + ")", "purpose");
    }
}
