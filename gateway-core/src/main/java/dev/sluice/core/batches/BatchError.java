package dev.sluice.core.batches;

/**
 * One entry of a failed batch's {@code errors.data}: why validation refused the input file.
 *
 * @param code    machine-readable reason, e.g. {@code invalid_url}
 * @param message what was wrong, e.g. "Line 3: url /v1/embeddings does not match batch endpoint /v1/chat/completions"
 * @param param   the field at fault, or {@code null}
 * @param line    the 1-based line, or {@code null} for the whole file
 */
public record BatchError(String code, String message, String param, Integer line) {
}
