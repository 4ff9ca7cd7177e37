package dev.sluice.providers.openai;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.Operation;
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
 * Forwards calls, already in OpenAI's wire format, to an OpenAI-compatible API: the body goes out byte for
 * byte and the answer comes back the same way.
 */
public final class OpenAiAdapter implements ProviderAdapter {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private final String provider;
    private final String baseUrl;
    private final ProviderHttpClient http;

    OpenAiAdapter(ProviderConfig config, ProviderContext context) {
        this.provider = config.name();
        this.baseUrl = baseUrl(config.baseUrl());
        this.http = ProviderHttpClient.create(config, context.timer());
    }

    static String baseUrl(String configured) {
        return BaseUrls.resolve(configured, DEFAULT_BASE_URL);
    }

    @Override
    public boolean supports(Operation operation) {
        return operation.inference();
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        return http.post(url(call), headers(call, "application/json"), call.body())
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
        return http.postForEvents(url(call), headers(call, "text/event-stream"), call.body());
    }

    @Override
    public Optional<ConnectionPoolStats> connectionPool() {
        return Optional.of(http.poolStats());
    }

    @Override
    public Mono<Void> close() {
        return http.close();
    }

    private String url(ProviderCall call) {
        return baseUrl + "/" + call.operation().path();
    }

    // Only what the provider needs: nothing of the caller's request reaches the upstream.
    private static Consumer<HttpHeaders> headers(ProviderCall call, String accept) {
        return headers -> {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            headers.set(HttpHeaderNames.ACCEPT, accept);
            if (call.key() != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + call.key().value());
            }
        };
    }
}
