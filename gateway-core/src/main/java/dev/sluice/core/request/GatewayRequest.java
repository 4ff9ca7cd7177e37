package dev.sluice.core.request;

import java.util.Objects;

/**
 * One inference request as the engine sees it: what to do, the parsed OpenAI-format body, who is asking,
 * and, for integration routes, the provider that a model without a {@code provider/} prefix belongs to.
 *
 * @param operation       what the caller asks for
 * @param body            the request body in OpenAI wire format, already validated as JSON
 * @param defaultProvider provider for an unprefixed model, or {@code null} to route by catalogue
 * @param caller          the caller's identity, whose virtual key governs and pays for the request
 */
public record GatewayRequest(Operation operation, RequestBody body, String defaultProvider, Caller caller) {

    public GatewayRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(caller, "caller");
    }

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
