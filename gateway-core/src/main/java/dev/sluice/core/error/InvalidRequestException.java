package dev.sluice.core.error;

/** The caller's request cannot be served as sent: a 400 that says what was wrong. */
public class InvalidRequestException extends GatewayException {

    public InvalidRequestException(String message, String param) {
        super(400, "invalid_request_error", null, param, message);
    }

    public InvalidRequestException(String message, String param, String code) {
        super(400, "invalid_request_error", code, param, message);
    }
}
