package dev.sluice.providers.gemini;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.provider.ConnectionPoolStats;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.providers.http.BaseUrls;
import dev.sluice.providers.http.JsonSkim;
import dev.sluice.providers.http.ProviderHttpClient;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Forwards calls, already in Gemini's wire format, to the Gemini API: the body goes out byte for byte, the
 * model goes into the URL, and the answer comes back the same way.
 */
public final class GeminiAdapter implements ProviderAdapter {

    static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

    private final String provider;
    private final String baseUrl;
    private final ProviderHttpClient http;

    GeminiAdapter(ProviderConfig config, ProviderContext context) {
        this.provider = config.name();
        this.baseUrl = baseUrl(config.baseUrl());
        this.http = ProviderHttpClient.create(config, context.timer());
    }

    static String baseUrl(String configured) {
        return BaseUrls.resolve(configured, DEFAULT_BASE_URL);
    }

    @Override
    public WireFormat format() {
        return GeminiFormat.GEMINI;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT_COMPLETIONS || operation == Operation.EMBEDDINGS || operation == Operation.COUNT_TOKENS;
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        String url = switch (call.operation()) {
            case CHAT_COMPLETIONS -> GeminiPaths.generateContent(baseUrl, call.model());
            case EMBEDDINGS -> GeminiPaths.embed(baseUrl, call.model(), call.body());
            case COUNT_TOKENS -> GeminiPaths.countTokens(baseUrl, call.model());
            default -> null;
        };
        if (url == null) {
            return Mono.error(unsupported(call.operation()));
        }
        return http.post(url, headers(call, "application/json"), call.body())
                .handle((body, sink) -> {
                    if (JsonSkim.isJson(body)) {
                        sink.next(body);
                    } else {
                        sink.error(new UpstreamProtocolException(provider,
                                "provider '" + provider + "' answered 200 with a body that is not JSON"));
                    }
                });
    }

    @Override
    public Flux<SseEvent> stream(ProviderCall call) {
        if (call.operation() != Operation.CHAT_COMPLETIONS) {
            return Flux.error(unsupported(call.operation()));
        }
        String url = GeminiPaths.streamGenerateContent(baseUrl, call.model());
        return http.postForEvents(url, headers(call, "text/event-stream"), call.body());
    }

    @Override
    public Optional<ConnectionPoolStats> connectionPool() {
        return Optional.of(http.poolStats());
    }

    @Override
    public Mono<Void> close() {
        return http.close();
    }

    private InvalidRequestException unsupported(Operation operation) {
        String how = operation == Operation.EMBEDDINGS ? "streamed " + operation.path() : operation.path();
        return new InvalidRequestException("provider '" + provider + "' (type gemini) does not serve " + how, null);
    }

    // Only what the provider needs: nothing of the caller's request reaches the upstream. Gemini takes its
    // key in x-goog-api-key; an Authorization header would be read as an OAuth token and refused.
    private static Consumer<HttpHeaders> headers(ProviderCall call, String accept) {
        return headers -> {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            headers.set(HttpHeaderNames.ACCEPT, accept);
            if (call.key() != null) {
                headers.set("x-goog-api-key", call.key().value());
            }
        };
    }
}
