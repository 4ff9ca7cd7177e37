package dev.sluice.core.error;

import dev.sluice.core.request.CallReport;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure with an HTTP meaning: the status to answer with and the OpenAI-style error fields. The HTTP
 * edge maps it once to the caller's wire format.
 */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private volatile CallReport report = CallReport.NONE;

    public GatewayException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    public GatewayException(int status, String type, String code, String param, String message, Throwable cause) {
        // Expected outcomes, not bugs: a stack trace would cost more than it tells.
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public int status() {
        return status;
    }

    /** The error {@code type}, e.g. {@code invalid_request_error}. */
    public String type() {
        return type;
    }

    /** A machine-readable code, or {@code null}. */
    public String code() {
        return code;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }

    /**
     * What the engine had learned about the request when it failed (its key, its target, its time upstream), for
     * logs and metrics; {@link CallReport#NONE} when the failure did not come from serving a request.
     */
    public CallReport report() {
        return report;
    }

    /** Set by the engine as the failure leaves it; returns this exception. */
    public GatewayException report(CallReport report) {
        this.report = Objects.requireNonNull(report, "report");
        return this;
    }

    /** How long the caller should wait before trying again, or {@code null} when that is not the point. */
    public Duration retryAfter() {
        return null;
    }
}
