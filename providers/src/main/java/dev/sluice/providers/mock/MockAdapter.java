package dev.sluice.providers.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Answers OpenAI-format calls by echoing the last user message, after a configured latency and with a
 * configured gap between streamed events, without touching the network.
 */
public final class MockAdapter implements ProviderAdapter {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Scheduler timer;
    private final Duration latency;
    private final Duration chunkGap;

    MockAdapter(Scheduler timer, Duration latency, Duration chunkGap) {
        this.timer = timer;
        this.latency = latency;
        this.chunkGap = chunkGap;
        // Jackson builds and caches its tree deserializers under a lock on first use; doing that here, when the
        // gateway is built, keeps two event loops from ever waiting on each other for it.
        parse("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean supports(Operation operation) {
        return operation.inference();
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        Mono<byte[]> answer = Mono.fromCallable(() -> answer(call).toString().getBytes(StandardCharsets.UTF_8));
        return delay(latency).then(answer);
    }

    @Override
    public Flux<SseEvent> stream(ProviderCall call) {
        return Mono.fromCallable(() -> events(call))
                .flatMapMany(events -> Flux.range(0, events.size())
                        .concatMap(i -> delay(i == 0 ? latency : chunkGap).thenReturn(events.get(i))));
    }

    private JsonNode answer(ProviderCall call) {
        JsonNode request = parse(call.body());
        long now = timer.now(TimeUnit.SECONDS);
        return switch (call.operation()) {
            case CHAT_COMPLETIONS -> MockChat.completion(MockPrompt.of(call.operation(), request), MockToolCall.of(request), call.model(), now);
            case COMPLETIONS -> MockCompletions.completion(MockPrompt.of(call.operation(), request), call.model(), now);
            case RESPONSES -> new MockResponses(MockPrompt.of(call.operation(), request), request, call.model(), now).response();
            case EMBEDDINGS -> MockEmbeddings.answer(request, call.model());
            case COUNT_TOKENS -> throw new IllegalStateException("unreachable: the mock does not count tokens");
        };
    }

    private List<SseEvent> events(ProviderCall call) {
        if (!call.operation().streamable()) {
            throw new InvalidRequestException(call.operation().path() + " cannot be streamed", "stream");
        }
        JsonNode request = parse(call.body());
        MockPrompt prompt = MockPrompt.of(call.operation(), request);
        long now = timer.now(TimeUnit.SECONDS);
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        return switch (call.operation()) {
            case CHAT_COMPLETIONS -> MockChat.chunks(prompt, MockToolCall.of(request), call.model(), now, includeUsage);
            case COMPLETIONS -> MockCompletions.chunks(prompt, call.model(), now, includeUsage);
            case RESPONSES -> new MockResponses(prompt, request, call.model(), now).events();
            case EMBEDDINGS, COUNT_TOKENS -> throw new IllegalStateException("unreachable: " + call.operation() + " is not streamable");
        };
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode request = mapper.readTree(body);
            if (request == null || !request.isObject()) {
                throw new InvalidRequestException("the request body is not a JSON object", null);
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the request body is not JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new InvalidRequestException("the request body could not be read: " + e.getMessage(), null);
        }
    }

    private Mono<Long> delay(Duration duration) {
        // No timer hop when there is nothing to wait for: a zero-latency mock answers on the caller's thread.
        return duration.isZero() ? Mono.just(0L) : Mono.delay(duration, timer);
    }
}
