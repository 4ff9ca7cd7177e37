package dev.sluice.testformat;

import dev.sluice.core.Gateway;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wire format that the engine was never told about, added with one registration ({@code Gateway.Builder#format}) and
 * nothing else: callers speaking it reach OpenAI providers, OpenAI callers reach providers speaking it, and its
 * errors, usage, stream ends and job types are its own.
 */
class PlainFormatTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-x","choices":[{"index":0,\
            "message":{"role":"assistant","content":"hello back"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

    private final Recording openAiUpstream = new Recording(OpenAiFormat.OPENAI,
            OPENAI_ANSWER,
            List.of(SseEvent.data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":"
                            + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hel\"}}]}"),
                    SseEvent.data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":"
                            + "[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}"),
                    SseEvent.data("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"),
                    SseEvent.data(SseEvent.DONE)));
    private final Recording plainUpstream = new Recording(PlainFormat.PLAIN,
            "{\"model\":\"p-1\",\"text\":\"plainly\",\"used\":{\"in\":4,\"out\":1}}",
            List.of(SseEvent.data("{\"text\":\"pla\"}"), SseEvent.data("{\"text\":\"in\"}"),
                    SseEvent.named(PlainFormat.END, "{\"used\":{\"in\":4,\"out\":2}}")));
    private final Gateway gateway = Gateway.builder()
            .format(PlainFormat.PLAIN)
            .provider(ProviderConfig.builder("up", "openai").build(), openAiUpstream)
            .provider(ProviderConfig.builder("plainly", "plain").build(), plainUpstream)
            .build();

    @AfterEach
    void close() {
        gateway.close().block(WAIT);
    }

    @Test
    void aCallerSpeakingTheNewFormatIsServedByAnOpenAiProvider() {
        byte[] answer = gateway.call(plain("{\"model\":\"up/gpt-x\",\"prompt\":\"hello\",\"max_tokens\":7}")).block(WAIT).body();

        Map<String, Object> sent = Json.parseObject(openAiUpstream.bodies.getFirst(), "sent");
        assertThat(sent).containsEntry("model", "gpt-x").containsEntry("max_tokens", 7L);
        assertThat(Json.write(sent.get("messages"))).isEqualTo("[{\"role\":\"user\",\"content\":\"hello\"}]");
        assertThat(Json.parseObject(answer, "answer")).containsEntry("text", "hello back")
                .containsEntry("used", Map.of("in", 3L, "out", 2L));
        assertThat(PlainFormat.PLAIN.usage(answer).total()).isEqualTo(5);
    }

    @Test
    void anOpenAiCallerIsServedByAProviderSpeakingTheNewFormat() {
        GatewayRequest request = GatewayRequest.of(Operation.CHAT_COMPLETIONS, RequestBody.parse(
                "{\"model\":\"plainly/p-1\",\"messages\":[{\"role\":\"user\",\"content\":\"say it\"}]}".getBytes(StandardCharsets.UTF_8)),
                Caller.anonymous());

        byte[] answer = gateway.call(request).block(WAIT).body();

        assertThat(Json.parseObject(plainUpstream.bodies.getFirst(), "sent")).containsEntry("prompt", "say it").containsEntry("model", "p-1");
        assertThat(Json.write(Json.parseObject(answer, "answer").get("choices"))).contains("\"content\":\"plainly\"");
        assertThat(OpenAiFormat.OPENAI.usage(answer).total()).isEqualTo(5);
    }

    @Test
    void streamsTranslateBothWaysAndEndOnTheNewFormatsOwnFinalEvent() {
        List<SseEvent> toPlain = gateway.stream(plain("{\"model\":\"up/gpt-x\",\"prompt\":\"hi\",\"stream\":true}"))
                .flatMapMany(GatewayStream::events).collectList().block(WAIT);
        assertThat(toPlain).extracting(SseEvent::data).containsExactly("{\"text\":\"hel\"}", "{\"text\":\"lo\"}", "{\"used\":{\"in\":3,\"out\":2}}");
        assertThat(toPlain.getLast().event()).isEqualTo(PlainFormat.END);

        GatewayRequest openAi = GatewayRequest.of(Operation.CHAT_COMPLETIONS, RequestBody.parse(
                "{\"model\":\"plainly/p-1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8)),
                Caller.anonymous());
        List<SseEvent> fromPlain = gateway.stream(openAi).flatMapMany(GatewayStream::events).collectList().block(WAIT);
        assertThat(fromPlain.getLast().isDone()).isTrue();
        assertThat(String.join("", fromPlain.stream().map(SseEvent::data).toList())).contains("\"content\":\"pla\"").contains("\"content\":\"in\"");
    }

    @Test
    void aStreamInTheNewFormatCutBeforeItsFinalEventFailsAsTheProvidersFault() {
        plainUpstream.events = List.of(SseEvent.data("{\"text\":\"pla\"}"));
        GatewayRequest openAi = GatewayRequest.of(Operation.CHAT_COMPLETIONS, RequestBody.parse(
                "{\"model\":\"plainly/p-1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8)),
                Caller.anonymous());

        StepVerifier.create(gateway.stream(openAi).flatMapMany(GatewayStream::events))
                .thenConsumeWhile(event -> true)
                .expectErrorSatisfies(failure -> assertThat(failure).isInstanceOf(GatewayException.class)
                        .hasMessageContaining("stream from provider 'plainly' ended before its final event"))
                .verify(WAIT);
    }

    @Test
    void itsPathsJobTypesAndErrorsAreItsOwn() {
        WireFormat byPath = gateway.formats().ofPath("/plain/v1/chat");
        JobType type = new JobType(PlainFormat.PLAIN, Operation.CHAT_COMPLETIONS);

        assertThat(byPath).isSameAs(PlainFormat.PLAIN);
        assertThat(gateway.formats().ofPath("/v1/chat/completions")).isSameAs(OpenAiFormat.OPENAI);
        assertThat(type.wire()).isEqualTo("plain:chat/completions");
        assertThat(JobType.parse(type.wire(), gateway.formats())).contains(type);
        assertThat(new String(byPath.errorBody(new GatewayException(429, "rate_limit", "slow", null, "Slow down.")), StandardCharsets.UTF_8))
                .isEqualTo("{\"failure\":{\"status\":429,\"says\":\"Slow down.\"}}");
    }

    private static GatewayRequest plain(String body) {
        return new GatewayRequest(Operation.CHAT_COMPLETIONS, PlainFormat.PLAIN, RequestBody.parse(body.getBytes(StandardCharsets.UTF_8)),
                null, Caller.anonymous());
    }

    /** A provider speaking {@code format}, answering with fixed bodies and events, keeping what it was sent. */
    private static final class Recording implements ProviderAdapter {
        private final WireFormat format;
        private final String answer;
        private volatile List<SseEvent> events;
        final List<byte[]> bodies = new CopyOnWriteArrayList<>();

        Recording(WireFormat format, String answer, List<SseEvent> events) {
            this.format = format;
            this.answer = answer;
            this.events = events;
        }

        @Override
        public Mono<byte[]> call(ProviderCall call) {
            bodies.add(call.body());
            return Mono.just(answer.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            bodies.add(call.body());
            return Flux.fromIterable(events);
        }

        @Override
        public WireFormat format() {
            return format;
        }
    }
}
