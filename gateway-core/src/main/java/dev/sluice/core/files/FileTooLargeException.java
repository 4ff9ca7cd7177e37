package dev.sluice.core.files;

import dev.sluice.core.error.GatewayException;

/** An upload whose content went past the configured limit ({@code files.max_bytes}): a 413. */
public final class FileTooLargeException extends GatewayException {

    public FileTooLargeException(long maxBytes) {
        super(413, "invalid_request_error", "file_too_large", "file",
                "File is larger than the limit of " + maxBytes + " bytes (files.max_bytes).");
    }
}
