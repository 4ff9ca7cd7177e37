package dev.sluice.providers.anthropic;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.anthropic.AnthropicFormat;
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
 * Forwards Messages and token-counting calls, already in Anthropic's wire format, to Anthropic's API: the body
 * goes out byte for byte and the answer and its events come back the same way.
 */
public final class AnthropicAdapter implements ProviderAdapter {

    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String API_VERSION = "2023-06-01";
    private static final String MESSAGES_PATH = "/v1/messages";
    private static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

    private final String provider;
    private final String messagesUrl;
    private final String countTokensUrl;
    private final ProviderHttpClient http;

    AnthropicAdapter(ProviderConfig config, ProviderContext context) {
        this.provider = config.name();
        this.messagesUrl = baseUrl(config.baseUrl()) + MESSAGES_PATH;
        this.countTokensUrl = baseUrl(config.baseUrl()) + COUNT_TOKENS_PATH;
        this.http = ProviderHttpClient.create(config, context.timer());
    }

    static String baseUrl(String configured) {
        return BaseUrls.resolve(configured, DEFAULT_BASE_URL);
    }

    @Override
    public WireFormat format() {
        return AnthropicFormat.ANTHROPIC;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT_COMPLETIONS || operation == Operation.COUNT_TOKENS;
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        String url = call.operation() == Operation.COUNT_TOKENS ? countTokensUrl : messagesUrl;
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
        return http.postForEvents(messagesUrl, headers(call, "text/event-stream"), call.body());
    }

    @Override
    public Optional<ConnectionPoolStats> connectionPool() {
        return Optional.of(http.poolStats());
    }

    @Override
    public Mono<Void> close() {
        return http.close();
    }

    // Only what the provider needs: nothing of the caller's request reaches the upstream.
    private static Consumer<HttpHeaders> headers(ProviderCall call, String accept) {
        return headers -> {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            headers.set(HttpHeaderNames.ACCEPT, accept);
            headers.set("anthropic-version", API_VERSION);
            if (call.key() != null) {
                headers.set("x-api-key", call.key().value());
            }
        };
    }
}
