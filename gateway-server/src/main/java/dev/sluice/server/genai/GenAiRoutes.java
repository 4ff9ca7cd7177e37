package dev.sluice.server.genai;

import dev.sluice.core.Gateway;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.async.AsyncHeaders;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import dev.sluice.server.http.ServedHeaders;
import dev.sluice.server.http.SseResponder;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.List;

/**
 * Google's Gemini API, for callers using a Google GenAI SDK: {@code POST /genai/{v1beta|v1}/models/{model}:{method}}
 * with {@code generateContent}, {@code streamGenerateContent} (server-sent events, {@code alt=sse}),
 * {@code embedContent}, {@code batchEmbedContents} and {@code countTokens}. The model is everything between
 * {@code models/} and the last {@code :}, slashes included, as the SDK sends it; without a {@code provider/} prefix it
 * belongs to the provider named {@code gemini}. Errors take Gemini's shape.
 */
public final class GenAiRoutes {

    /** The provider an unprefixed model means on these routes. */
    public static final String INTEGRATION_PROVIDER = "gemini";

    private final Gateway gateway;
    private final BodyReader bodies;
    private final SseResponder sse;

    public GenAiRoutes(Gateway gateway, BodyReader bodies, SseResponder sse) {
        this.gateway = gateway;
        this.bodies = bodies;
        this.sse = sse;
    }

    public void register(HttpRoutes routes) {
        for (String version : List.of("v1beta", "v1")) {
            routes.add(HttpMethod.POST, GeminiFormat.GEMINI.routePrefix() + "/" + version + "/models/{call...}",
                    (request, response, params) -> serve(request, response, params.get("call")));
        }
    }

    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, String call) {
        if (AsyncHeaders.asksAsync(request.requestHeaders()) || AsyncHeaders.retrievedId(request.requestHeaders()).isPresent()) {
            return Mono.error(new InvalidRequestException("Gemini's API cannot express a pending result, so it does not take '"
                    + AsyncHeaders.ASYNC + "'; use /v1/async/... instead.", null));
        }
        int colon = call.lastIndexOf(':');
        String model = colon > 0 ? call.substring(0, colon) : "";
        String method = colon > 0 ? call.substring(colon + 1) : "";
        if (model.isBlank()) {
            return Mono.error(new InvalidRequestException("The path must name a model and a method: models/{model}:{method}, "
                    + "for example models/gemini-2.5-flash:generateContent.", "model"));
        }
        Operation operation = switch (method) {
            case "generateContent", "streamGenerateContent" -> Operation.CHAT_COMPLETIONS;
            case "embedContent", "batchEmbedContents" -> Operation.EMBEDDINGS;
            case "countTokens" -> Operation.COUNT_TOKENS;
            default -> null;
        };
        if (operation == null) {
            return Mono.error(new GatewayException(404, "invalid_request_error", "unknown_url", null,
                    "Unknown method '" + method + "': this route serves generateContent, streamGenerateContent, embedContent, "
                            + "batchEmbedContents and countTokens."));
        }
        boolean stream = method.equals("streamGenerateContent");
        if (stream && !"sse".equals(queryParameter(request, "alt"))) {
            return Mono.error(new InvalidRequestException("streamGenerateContent is served as server-sent events only: add ?alt=sse.", "alt"));
        }
        return bodies.read(request).flatMap(bytes -> {
            GatewayRequest gatewayRequest = new GatewayRequest(operation, GeminiFormat.GEMINI, RequestBody.parse(bytes, model, stream),
                    INTEGRATION_PROVIDER, CallerHeaders.from(request.requestHeaders()));
            if (stream) {
                return sse.send(response, gateway.stream(gatewayRequest), GeminiFormat.GEMINI);
            }
            return gateway.call(gatewayRequest).flatMap(answer -> Json.ok(ServedHeaders.on(response, answer), answer.body()));
        });
    }

    private static String queryParameter(HttpServerRequest request, String name) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
