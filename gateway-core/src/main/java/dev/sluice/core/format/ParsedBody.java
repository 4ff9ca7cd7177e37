package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;

/** A request body as {@link RequestBody#read(byte[])} found it: valid, or what is wrong with it. */
public sealed interface ParsedBody {

    /** @param body the body, ready to send */
    record Valid(RequestBody body) implements ParsedBody {
    }

    /** @param problem what is wrong, as {@link RequestBody#parse(byte[])} would refuse it */
    record Invalid(InvalidRequestException problem) implements ParsedBody {
    }
}
