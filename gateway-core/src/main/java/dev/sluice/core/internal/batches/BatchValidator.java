package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.BatchError;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.request.RequestBody;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the lines of an input file one by one, as they stream past: each must be a request to the batch's
 * endpoint with a unique {@code custom_id} and a body with a model. Not thread-safe: one per validation.
 */
final class BatchValidator {

    /** Enough to show what is wrong with a file without making the batch object huge. */
    static final int MAX_ERRORS = 100;

    private final String endpoint;
    private final Set<String> customIds = new HashSet<>();
    private final List<BatchError> errors = new ArrayList<>();
    private int requests;

    BatchValidator(String endpoint) {
        this.endpoint = endpoint;
    }

    void check(int number, byte[] bytes) {
        requests++;
        BatchLine line;
        try {
            line = BatchLine.parse(number, bytes);
        } catch (BatchLine.Unreadable e) {
            refuse("invalid_json", number, null, e.getMessage());
            return;
        }
        if (line.customId() == null || line.customId().isEmpty()) {
            refuse("missing_custom_id", number, "custom_id", "has no custom_id (expected: a non-empty string)");
        } else if (!customIds.add(line.customId())) {
            refuse("duplicate_custom_id", number, "custom_id", "custom_id '" + line.customId() + "' is used by an earlier line");
        }
        if (!"POST".equals(line.method())) {
            refuse("invalid_method", number, "method", "method " + line.method() + " is not supported (expected: POST)");
        }
        if (!endpoint.equals(line.url())) {
            refuse("invalid_url", number, "url", "url " + line.url() + " does not match batch endpoint " + endpoint);
        }
        if (line.body() == null) {
            refuse("invalid_body", number, "body", "has no body object");
        } else {
            try {
                RequestBody.parse(line.body());
            } catch (InvalidRequestException e) {
                refuse("invalid_body", number, "body", "body: " + e.getMessage());
            }
        }
    }

    int requests() {
        return requests;
    }

    /** The problems found; empty when every line is a valid request. */
    List<BatchError> errors() {
        if (requests == 0 && errors.isEmpty()) {
            return List.of(new BatchError("empty_file", "The input file has no requests.", "input_file_id", null));
        }
        return errors;
    }

    private void refuse(String code, int number, String param, String reason) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new BatchError(code, "Line " + number + ": " + reason, param, number));
        }
    }
}
