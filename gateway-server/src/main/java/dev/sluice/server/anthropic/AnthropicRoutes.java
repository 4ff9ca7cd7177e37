package dev.sluice.server.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Gateway;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.async.AsyncHeaders;
import dev.sluice.server.http.BodyReader;
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
 * Anthropic's Messages API, for callers using an Anthropic SDK: {@code POST /anthropic/v1/messages} (unary, streamed,
 * or as an async job with {@code x-bf-async}) and {@code POST /anthropic/v1/messages/count_tokens}. The request goes to
 * whichever provider its model names, translated when that provider speaks another format; a model without a
 * {@code provider/} prefix belongs to the provider named {@code anthropic}. Errors take Anthropic's shape.
 */
public final class AnthropicRoutes {

    /** The provider an unprefixed model means on these routes. */
    public static final String INTEGRATION_PROVIDER = "anthropic";
    private static final String PREFIX = AnthropicFormat.ANTHROPIC.routePrefix();

    private final Gateway gateway;
    private final BodyReader bodies;
    private final SseResponder sse;
    private final AnthropicJobs jobs;

    public AnthropicRoutes(Gateway gateway, BodyReader bodies, SseResponder sse, ObjectMapper json) {
        this.gateway = gateway;
        this.bodies = bodies;
        this.sse = sse;
        this.jobs = new AnthropicJobs(gateway.jobs());
    }

    public void register(HttpRoutes routes) {
        routes.post(PREFIX + "/v1/messages", this::messages);
        routes.post(PREFIX + "/v1/messages/count_tokens", this::countTokens);
    }

    private Mono<Void> messages(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders headers = request.requestHeaders();
        String retrievedId = AsyncHeaders.retrievedId(headers).orElse(null);
        if (retrievedId != null) {
            // The body of a retrieval carries nothing ("{}" is fine): read it only to finish the exchange.
            return bodies.read(request).then(jobs.retrieve(response, retrievedId, headers));
        }
        return bodies.read(request).flatMap(bytes -> {
            GatewayRequest call = anthropicRequest(Operation.CHAT_COMPLETIONS, bytes, headers);
            if (AsyncHeaders.asksAsync(headers)) {
                return jobs.submit(response, call, headers);
            }
            if (call.stream()) {
                return sse.send(response, gateway.stream(call), AnthropicFormat.ANTHROPIC);
            }
            return gateway.call(call).flatMap(answer -> Json.ok(ServedHeaders.on(response, answer), answer.body()));
        });
    }

    private Mono<Void> countTokens(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders headers = request.requestHeaders();
        if (AsyncHeaders.asksAsync(headers) || AsyncHeaders.retrievedId(headers).isPresent()) {
            return Mono.error(new InvalidRequestException("Counting tokens answers at once, so it does not take '"
                    + AsyncHeaders.ASYNC + "'.", null));
        }
        return bodies.read(request).flatMap(bytes -> gateway.call(anthropicRequest(Operation.COUNT_TOKENS, bytes, headers))
                .flatMap(answer -> Json.ok(ServedHeaders.on(response, answer), answer.body())));
    }

    private static GatewayRequest anthropicRequest(Operation operation, byte[] bytes, HttpHeaders headers) {
        return new GatewayRequest(operation, AnthropicFormat.ANTHROPIC, RequestBody.parse(bytes), INTEGRATION_PROVIDER,
                CallerHeaders.from(headers));
    }
}
