package dev.sluice.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Gateway;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.Operation;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.ErrorResponder;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.SseResponder;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * The OpenAI-format endpoints: {@code /v1/...}, where a model is routed by its {@code provider/} prefix or
 * by catalogue, and the integration prefix {@code /openai/...}, where an unprefixed model belongs to the
 * provider named {@code openai}.
 */
public final class OpenAiRoutes {

    /** The provider an unprefixed model means on the {@code /openai} integration routes. */
    public static final String INTEGRATION_PROVIDER = "openai";

    private final Gateway gateway;
    private final BodyReader bodies;
    private final ErrorResponder errors;
    private final SseResponder sse;
    private final ObjectMapper json;

    public OpenAiRoutes(Gateway gateway, BodyReader bodies, ErrorResponder errors, ObjectMapper json) {
        this.gateway = gateway;
        this.bodies = bodies;
        this.errors = errors;
        this.sse = new SseResponder(errors);
        this.json = json;
    }

    public void register(HttpRoutes routes) {
        for (Operation operation : Operation.values()) {
            routes.post("/v1/" + operation.path(), (request, response) -> infer(request, response, operation, null));
            HttpRoutes.Simple integration = (request, response) -> infer(request, response, operation, INTEGRATION_PROVIDER);
            routes.post("/openai/v1/" + operation.path(), integration);
            routes.post("/openai/" + operation.path(), integration);
        }
        routes.get("/v1/models", this::models);
        routes.get("/openai/v1/models", this::models);
        routes.get("/openai/models", this::models);
    }

    private Mono<Void> infer(HttpServerRequest request, HttpServerResponse response, Operation operation, String defaultProvider) {
        return bodies.read(request).flatMap(bytes -> {
            GatewayRequest call = new GatewayRequest(operation, RequestBody.parse(bytes), defaultProvider,
                    CallerHeaders.from(request.requestHeaders()));
            if (call.stream()) {
                return sse.send(response, gateway.stream(call), error -> SseEvent.named("error", utf8(errors.envelope(error))));
            }
            return gateway.call(call).flatMap(answer -> sendJson(response, answer.body()));
        });
    }

    private Mono<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return gateway.models(CallerHeaders.from(request.requestHeaders())).flatMap(models -> {
            ObjectNode list = json.createObjectNode().put("object", "list");
            ArrayNode data = list.putArray("data");
            for (Gateway.ModelEntry model : models) {
                data.addObject().put("id", model.id()).put("object", "model").put("created", 0).put("owned_by", model.provider());
            }
            return sendJson(response, Json.bytes(json, list));
        });
    }

    static Mono<Void> sendJson(HttpServerResponse response, byte[] body) {
        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                .sendByteArray(Mono.just(body))
                .then();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
