package dev.sluice.core.request;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.openai.OpenAiFormat;

import java.util.Objects;

/**
 * One inference request as the engine sees it: what to do, the parsed body in the caller's wire format, who is
 * asking, and, for integration routes, the provider that a model without a {@code provider/} prefix belongs to.
 *
 * @param operation       what the caller asks for
 * @param format          the wire format of the body, and of the answer the caller expects
 * @param body            the request body, already validated as JSON
 * @param defaultProvider provider for an unprefixed model, or {@code null} to route by catalogue
 * @param caller          the caller's identity, whose virtual key governs and pays for the request
 */
public record GatewayRequest(Operation operation, WireFormat format, RequestBody body, String defaultProvider, Caller caller) {

    public GatewayRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(caller, "caller");
    }

    /** A request in OpenAI's wire format. */
    public GatewayRequest(Operation operation, RequestBody body, String defaultProvider, Caller caller) {
        this(operation, OpenAiFormat.OPENAI, body, defaultProvider, caller);
    }

    /** A request in OpenAI's wire format, routed by its model's prefix or by catalogue. */
    public static GatewayRequest of(Operation operation, RequestBody body, Caller caller) {
        return new GatewayRequest(operation, body, null, caller);
    }

    public String model() {
        return body.model();
    }

    public boolean stream() {
        return body.stream();
    }
}
