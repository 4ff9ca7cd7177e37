package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.BatchError;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.format.ParsedBody;
import dev.sluice.core.format.RequestBody;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the lines of an input file one by one, as they stream past: each must be a request to the batch's
 * endpoint with a unique {@code custom_id} the store can keep and a body with a model, and the file must stay within
 * the batch's limits. Errors are kept few and short, so that the batch that shows them stays small. Not thread-safe:
 * one per validation. Public for the benchmarks module only.
 */
public final class BatchValidator {

    /** Enough to show what is wrong with a file without making the batch object huge. */
    static final int MAX_ERRORS = 100;

    /** The most of a caller's value an error message quotes. */
    private static final int MAX_QUOTED = 64;

    private final String endpoint;
    private final BatchLimits limits;
    private final Set<String> customIds = new HashSet<>();
    private final List<BatchError> errors = new ArrayList<>();
    private int requests;

    public BatchValidator(String endpoint, BatchLimits limits) {
        this.endpoint = endpoint;
        this.limits = limits;
    }

    /** Whether more lines are worth reading: false once the file has more requests than the limit. */
    boolean wantsMore() {
        return requests <= limits.maxLines();
    }

    public void check(int number, byte[] bytes) {
        requests++;
        if (requests > limits.maxLines()) {
            refuse("too_many_lines", number, null, "the file has more than " + limits.maxLines()
                    + " requests (expected: at most " + limits.maxLines() + " in one batch)");
            return;
        }
        BatchLine line;
        switch (BatchLine.read(number, bytes)) {
            case BatchLine readable -> line = readable;
            case ReadLine.Unreadable unreadable -> {
                refuse("invalid_json", number, null, unreadable.reason());
                return;
            }
        }
        checkCustomId(number, line.customId());
        if (!"POST".equals(line.method())) {
            refuse("invalid_method", number, "method", "method " + quoted(line.method()) + " is not supported (expected: POST)");
        }
        if (!endpoint.equals(line.url())) {
            refuse("invalid_url", number, "url", "url " + quoted(line.url()) + " does not match batch endpoint " + endpoint);
        }
        if (line.body() == null) {
            refuse("invalid_body", number, "body", "has no body object");
        } else if (RequestBody.read(line.body()) instanceof ParsedBody.Invalid invalid) {
            refuse("invalid_body", number, "body", "body: " + bounded(invalid.problem().getMessage(), 300));
        }
    }

    /** The file could not be read to its end: a line over the limit, say; the batch fails with it. */
    void refuseFile(String code, String reason) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new BatchError(code, "Line " + (requests + 1) + ": " + bounded(reason, 300), null, requests + 1));
        }
    }

    int requests() {
        return requests;
    }

    /** The problems found; empty when every line is a valid request. */
    public List<BatchError> errors() {
        if (requests == 0 && errors.isEmpty()) {
            return List.of(new BatchError("empty_file", "The input file has no requests.", "input_file_id", null));
        }
        return errors;
    }

    private void checkCustomId(int number, String customId) {
        if (customId == null || customId.isEmpty()) {
            refuse("missing_custom_id", number, "custom_id", "has no custom_id (expected: a non-empty string)");
        } else if (customId.length() > BatchLimits.MAX_CUSTOM_ID_LENGTH) {
            refuse("invalid_custom_id", number, "custom_id", "custom_id is " + customId.length() + " characters long (expected: at most "
                    + BatchLimits.MAX_CUSTOM_ID_LENGTH + ")");
        } else if (customId.chars().anyMatch(Character::isISOControl)) {
            refuse("invalid_custom_id", number, "custom_id", "custom_id " + quoted(customId) + " holds a control character (expected: none)");
        } else if (!customIds.add(customId)) {
            refuse("duplicate_custom_id", number, "custom_id", "custom_id " + quoted(customId) + " is used by an earlier line");
        }
    }

    private void refuse(String code, int number, String param, String reason) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new BatchError(code, "Line " + number + ": " + reason, param, number));
        }
    }

    /** A caller's value in a message: shortened, with control characters shown as escapes rather than stored raw. */
    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(MAX_QUOTED).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(value.codePointCount(0, value.length()) > MAX_QUOTED ? "...'" : "'").toString();
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
