package dev.sluice.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Gateway;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.async.AsyncHeaders;
import dev.sluice.server.async.ResponsesJobs;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerCheck;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.ServedHeaders;
import dev.sluice.server.http.SseResponder;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;


/**
 * The OpenAI-format endpoints: {@code /v1/...}, where a model is routed by its {@code provider/} prefix or
 * by catalogue, and the integration prefix {@code /openai/...}, where an unprefixed model belongs to the
 * provider named {@code openai}.
 */
public final class OpenAiRoutes {

    /** The provider an unprefixed model means on the {@code /openai} integration routes. */
    public static final String INTEGRATION_PROVIDER = "openai";
    private static final String PREFIX = OpenAiFormat.OPENAI.routePrefix();

    private final Gateway gateway;
    private final BodyReader bodies;
    private final SseResponder sse;
    private final ObjectMapper json;
    private final ResponsesJobs responsesJobs;
    private final CallerCheck callers;

    /** @param callers identifies the caller of a model listing, whose key's name the access log shows */
    public OpenAiRoutes(Gateway gateway, BodyReader bodies, SseResponder sse, ObjectMapper json, CallerCheck callers) {
        this.gateway = gateway;
        this.callers = callers;
        this.responsesJobs = new ResponsesJobs(gateway.jobs());
        this.bodies = bodies;
        this.sse = sse;
        this.json = json;
    }

    public void register(HttpRoutes routes) {
        for (Operation operation : Operation.values()) {
            if (!operation.inference()) {
                continue;
            }
            routes.post("/v1/" + operation.path(), (request, response) -> infer(request, response, operation, null));
            HttpRoutes.Simple integration = (request, response) -> infer(request, response, operation, INTEGRATION_PROVIDER);
            routes.post(PREFIX + "/v1/" + operation.path(), integration);
            routes.post(PREFIX + "/" + operation.path(), integration);
        }
        responsesJobs.register(routes);
        routes.get("/v1/models", this::models);
        routes.get(PREFIX + "/v1/models", this::models);
        routes.get(PREFIX + "/models", this::models);
    }

    private Mono<Void> infer(HttpServerRequest request, HttpServerResponse response, Operation operation, String defaultProvider) {
        HttpHeaders headers = request.requestHeaders();
        boolean integration = defaultProvider != null;
        String retrievedId = integration ? AsyncHeaders.retrievedId(headers).orElse(null) : null;
        if (integration && (retrievedId != null || AsyncHeaders.asksAsync(headers)) && operation != Operation.RESPONSES) {
            return Mono.error(new InvalidRequestException(operation.path() + " cannot express a pending result, so it does not"
                    + " take '" + AsyncHeaders.ASYNC + "'; use /v1/async/" + operation.path() + " instead.", null));
        }
        if (retrievedId != null) {
            // The body of a retrieval carries nothing ("{}" is fine): read it only to finish the exchange.
            return bodies.read(request).then(responsesJobs.retrieve(response, retrievedId, headers));
        }
        return bodies.read(request).flatMap(bytes -> {
            GatewayRequest call = new GatewayRequest(operation, RequestBody.parse(bytes), defaultProvider, CallerHeaders.from(headers));
            if (operation == Operation.RESPONSES && (call.body().background() || integration && AsyncHeaders.asksAsync(headers))) {
                return responsesJobs.submit(response, call, headers);
            }
            if (call.stream()) {
                return sse.send(response, gateway.stream(call), OpenAiFormat.OPENAI);
            }
            return gateway.call(call).flatMap(answer -> Json.ok(ServedHeaders.on(response, answer), answer.body()));
        });
    }

    private Mono<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return callers.check(request).then(gateway.models(CallerHeaders.from(request.requestHeaders()))).flatMap(models -> {
            ObjectNode list = json.createObjectNode().put("object", "list");
            ArrayNode data = list.putArray("data");
            for (Gateway.ModelEntry model : models) {
                data.addObject().put("id", model.id()).put("object", "model").put("created", 0).put("owned_by", model.provider());
            }
            return Json.ok(response, Json.bytes(json, list));
        });
    }
}
