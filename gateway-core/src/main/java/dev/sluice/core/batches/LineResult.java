package dev.sluice.core.batches;

import dev.sluice.core.usage.TokenCounts;

/**
 * The recorded outcome of one batch line, written as it finishes so that a restarted batch never sends
 * that line again.
 *
 * @param line       1-based line number in the input file
 * @param customId   the line's {@code custom_id}
 * @param error      whether the line belongs in the error file (status >= 400, or never answered)
 * @param outputLine the line of the output or error file, JSON without the newline
 * @param model      the model that answered, or {@code null}
 * @param tokens     the usage the answer reported
 */
public record LineResult(int line, String customId, boolean error, byte[] outputLine, String model, TokenCounts tokens) {
}
