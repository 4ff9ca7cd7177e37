package dev.sluice.core.request;

/**
 * A unary answer: the provider's body in OpenAI wire format and who served it.
 *
 * @param body     the response body, forwarded as the provider sent it
 * @param provider the name of the provider that answered
 * @param model    the model as the provider knows it
 */
public record GatewayResponse(byte[] body, String provider, String model) {
}
