package dev.sluice.core.internal.translate;

import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.anthropic.AnthropicChatCodec;
import dev.sluice.core.format.anthropic.AnthropicChatStreamDecoder;
import dev.sluice.core.format.anthropic.AnthropicChatStreamEncoder;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.openai.OpenAiChatCodec;
import dev.sluice.core.format.openai.OpenAiChatStreamDecoder;
import dev.sluice.core.format.openai.OpenAiChatStreamEncoder;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A caller speaking one format served by a provider speaking the other, through the canonical model. */
class CrossFormatTranslationTest {

    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final OpenAiChatCodec openAi = new OpenAiChatCodec(Clock.fixed(Instant.ofEpochSecond(1741570283), ZoneOffset.UTC));
    private final AnthropicChatCodec anthropic = new AnthropicChatCodec();

    @Test
    void openAiRequestBecomesAnAnthropicRequestOfTheRightShape() {
        Map<String, Object> request = json(anthropic.encodeRequest(
                openAi.decodeRequest(Fixtures.bytes("openai/request-full.json"))));

        assertThat(request).containsEntry("model", "claude-sonnet-4-5")
                .containsEntry("system", "You are a terse travel assistant.")
                .containsEntry("max_tokens", 512L)
                .containsEntry("stop_sequences", List.of("\n\nHuman:", "END"))
                .containsEntry("tool_choice", Map.of("type", "auto"))
                .doesNotContainKeys("stop", "stream", "max_completion_tokens");
        assertThat(((Number) request.get("temperature")).doubleValue()).isEqualTo(0.7);
        assertThat(((Number) request.get("top_p")).doubleValue()).isEqualTo(0.9);
        assertThat(request.get("messages")).isEqualTo(List.of(
                Map.of("role", "user", "content", "Hi! What is in these pictures?"),
                Map.of("role", "assistant", "content", "Send them over."),
                Map.of("role", "user", "content", List.of(
                        Map.of("type", "text", "text", "Here they are."),
                        Map.of("type", "image", "source", Map.of("type", "url", "url", "https://example.com/harbour.jpg")),
                        Map.of("type", "image", "source", Map.of("type", "base64", "media_type", "image/png", "data", PNG)))),
                Map.of("role", "assistant", "content", List.of(Map.of("type", "tool_use", "id", "call_7Qw2",
                        "name", "get_weather", "input", Map.of("city", "Lisbon", "unit", "celsius")))),
                Map.of("role", "user", "content", List.of(
                        Map.of("type", "tool_result", "tool_use_id", "call_7Qw2", "content", "{\"temp\":21,\"sky\":\"clear\"}"),
                        Map.of("type", "text", "text", "So, should I bring an umbrella?")))));
        assertThat((Object) at(request, "tools", 0, "name")).isEqualTo("get_weather");
        assertThat((Object) at(request, "tools", 0, "input_schema", "required")).isEqualTo(List.of("city"));
        assertThat((Map<String, Object>) at(request, "tools", 0)).doesNotContainKeys("function", "type");
    }

    @Test
    void anthropicRequestBecomesAnOpenAiRequestWithToolMessages() {
        Map<String, Object> request = json(openAi.encodeRequest(
                anthropic.decodeRequest(Fixtures.bytes("anthropic/request-full.json"))));

        List<Map<String, Object>> messages = at(request, "messages");
        assertThat(messages).extracting(m -> m.get("role"))
                .containsExactly("system", "user", "assistant", "tool", "user", "assistant", "tool");
        assertThat((Object) at(messages, 2, "tool_calls", 0, "function", "name")).isEqualTo("get_weather");
        assertThat(json((String) at(messages, 2, "tool_calls", 0, "function", "arguments")))
                .isEqualTo(Map.of("city", "Lisbon", "unit", "celsius"));
        assertThat(messages.get(3)).containsEntry("tool_call_id", "toolu_01A09q90qw90lq917835lq9");
        assertThat((Object) at(messages, 1, "content", 2, "image_url", "url")).isEqualTo("data:image/png;base64," + PNG);
        assertThat(request).containsEntry("tool_choice", "required").containsEntry("stop", List.of("END"))
                .containsEntry("max_tokens", 1024L).containsEntry("stream", true);
        assertThat((Object) at(request, "tools", 1, "function", "parameters", "properties", "days", "type")).isEqualTo("integer");
    }

    @Test
    void anthropicTextResponseBecomesAnOpenAiCompletionWithCachedUsage() {
        Map<String, Object> response = json(openAi.encodeResponse(
                anthropic.decodeResponse(Fixtures.bytes("anthropic/response-text.json"))));

        assertThat(response).containsEntry("object", "chat.completion").containsEntry("id", "msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat((Object) at(response, "choices", 0, "message", "content"))
                .isEqualTo("No umbrella needed: clear skies and 21°C in Lisbon.");
        assertThat((Object) at(response, "choices", 0, "finish_reason")).isEqualTo("stop");
        assertThat((Map<String, Object>) at(response, "choices", 0, "message")).doesNotContainKey("tool_calls");
        assertThat((Object) at(response, "usage", "prompt_tokens")).isEqualTo(1436L);
        assertThat((Object) at(response, "usage", "completion_tokens")).isEqualTo(17L);
        assertThat((Object) at(response, "usage", "total_tokens")).isEqualTo(1453L);
        assertThat((Object) at(response, "usage", "prompt_tokens_details", "cached_tokens")).isEqualTo(1024L);
    }

    @Test
    void anthropicToolUseResponseBecomesOpenAiToolCalls() {
        Map<String, Object> response = json(openAi.encodeResponse(
                anthropic.decodeResponse(Fixtures.bytes("anthropic/response-tool-use.json"))));

        Map<String, Object> message = at(response, "choices", 0, "message");
        assertThat(message).containsEntry("content", "I'll check the weather.");
        assertThat((Object) at(message, "tool_calls", 0, "id")).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat((Object) at(message, "tool_calls", 0, "type")).isEqualTo("function");
        assertThat((Object) at(message, "tool_calls", 0, "function", "name")).isEqualTo("get_weather");
        assertThat(json((String) at(message, "tool_calls", 0, "function", "arguments")))
                .isEqualTo(Map.of("city", "San Francisco, CA", "unit", "celsius"));
        assertThat((Object) at(response, "choices", 0, "finish_reason")).isEqualTo("tool_calls");
        assertThat((Object) at(response, "usage", "prompt_tokens")).isEqualTo(472L);
    }

    private List<String> anthropicStreamToOpenAi(String fixture) {
        AnthropicChatStreamDecoder decoder = anthropic.streamDecoder();
        OpenAiChatStreamEncoder encoder = openAi.streamEncoder(true);
        List<String> chunks = new ArrayList<>();
        for (SseEvent event : Fixtures.sse(fixture)) {
            for (ChatEvent canonical : decoder.decode(event)) {
                chunks.addAll(encoder.payloads(canonical));
            }
        }
        return chunks;
    }

    @Test
    void anthropicTextStreamBecomesOpenAiChunksThenFinishThenUsageThenDone() {
        List<String> chunks = anthropicStreamToOpenAi("anthropic/stream-text.sse");

        assertThat(chunks).last().isEqualTo("[DONE]");
        List<Map<String, Object>> parsed = chunks.subList(0, chunks.size() - 1).stream().map(Fixtures::json).toList();
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> chunk : parsed.subList(0, parsed.size() - 2)) {
            assertThat(chunk).containsEntry("object", "chat.completion.chunk")
                    .containsEntry("id", "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
            assertThat((Object) at(chunk, "choices", 0, "finish_reason")).isNull();
            if (at(chunk, "choices", 0, "delta", "content") instanceof String piece) {
                text.append(piece);
            }
        }
        assertThat(text).hasToString("Hello, world — how can I help?");
        Map<String, Object> finish = parsed.get(parsed.size() - 2);
        assertThat((Object) at(finish, "choices", 0, "finish_reason")).isEqualTo("stop");
        Map<String, Object> usage = parsed.getLast();
        assertThat(usage).containsEntry("choices", List.of());
        assertThat((Object) at(usage, "usage", "prompt_tokens")).isEqualTo(125L);
        assertThat((Object) at(usage, "usage", "completion_tokens")).isEqualTo(15L);
        assertThat((Object) at(usage, "usage", "prompt_tokens_details", "cached_tokens")).isEqualTo(100L);
    }

    @Test
    void anthropicStreamedToolCallBecomesOpenAiToolCallDeltasWhoseArgumentsConcatenate() {
        List<String> chunks = anthropicStreamToOpenAi("anthropic/stream-tool-use.sse");

        assertThat(chunks).last().isEqualTo("[DONE]");
        List<Map<String, Object>> parsed = chunks.subList(0, chunks.size() - 1).stream().map(Fixtures::json).toList();
        StringBuilder arguments = new StringBuilder();
        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> starts = new ArrayList<>();
        for (Map<String, Object> chunk : parsed.subList(0, parsed.size() - 1)) {
            if (at(chunk, "choices", 0, "delta", "content") instanceof String piece) {
                text.append(piece);
            }
            if (at(chunk, "choices", 0, "delta", "tool_calls") instanceof List<?> calls) {
                Map<String, Object> call = at(calls, 0);
                assertThat(call).containsEntry("index", 0L);
                if (call.containsKey("id")) {
                    starts.add(call);
                }
                arguments.append((String) at(call, "function", "arguments"));
            }
        }
        assertThat(text).hasToString("Okay, let's check the weather.");
        assertThat(starts).singleElement().satisfies(call -> {
            assertThat(call).containsEntry("id", "toolu_01T1x1fJ34qAmk2tNTrN7Up6").containsEntry("type", "function");
            assertThat((Object) at(call, "function", "name")).isEqualTo("get_weather");
        });
        assertThat(arguments).hasToString("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}");
        assertThat((Object) at(parsed.get(parsed.size() - 2), "choices", 0, "finish_reason")).isEqualTo("tool_calls");
        assertThat((Object) at(parsed.getLast(), "usage", "completion_tokens")).isEqualTo(89L);
    }

    @Test
    void openAiChunkStreamBecomesAnthropicNamedEventsInOrder() {
        OpenAiChatStreamDecoder decoder = openAi.streamDecoder();
        AnthropicChatStreamEncoder encoder = anthropic.streamEncoder();
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent chunk : Fixtures.sse("openai/stream-tool-call.sse")) {
            for (ChatEvent canonical : decoder.decode(chunk.data())) {
                events.addAll(encoder.encode(canonical));
            }
        }

        assertThat(events).extracting(SseEvent::event).containsExactly(
                "message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        List<Map<String, Object>> data = events.stream().map(e -> json(e.data())).toList();
        assertThat(data).allSatisfy(d -> assertThat(d).containsKey("type"));
        assertThat((Object) at(data.get(0), "message", "id")).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        assertThat((Object) at(data.get(1), "content_block", "type")).isEqualTo("text");
        assertThat((Object) at(data.get(2), "delta", "text")).isEqualTo("Checking");
        assertThat((Object) at(data.get(3), "delta", "text")).isEqualTo(" now.");
        assertThat((Object) at(data.get(4), "index")).isEqualTo(0L);
        assertThat((Map<String, Object>) at(data.get(5), "content_block")).containsEntry("type", "tool_use")
                .containsEntry("id", "call_abc123").containsEntry("name", "get_weather").containsEntry("input", Map.of());
        assertThat((Object) at(data.get(5), "index")).isEqualTo(1L);
        String partialJson = (String) at(data.get(6), "delta", "partial_json") + at(data.get(7), "delta", "partial_json");
        assertThat(json(partialJson)).isEqualTo(Map.of("location", "Paris, France"));
        assertThat((Object) at(data.get(9), "delta", "stop_reason")).isEqualTo("tool_use");
        assertThat((Object) at(data.get(9), "usage", "output_tokens")).isEqualTo(18L);
        assertThat((Object) at(data.get(9), "usage", "input_tokens")).isEqualTo(82L - 64L);
        assertThat((Object) at(data.get(9), "usage", "cache_read_input_tokens")).isEqualTo(64L);
    }

    @Test
    void aGarbledAnswerIsAProtocolErrorOfTheConfiguredProviderNotOfItsFormat() {
        ProviderBridge bridge = ProviderBridge.between(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, AnthropicFormat.ANTHROPIC,
                "claude-proxy", Clock.systemUTC()).orElseThrow();

        assertThatThrownBy(() -> bridge.answer("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(UpstreamProtocolException.class, error -> assertThat(error.provider()).isEqualTo("claude-proxy"))
                .hasMessageStartingWith("provider 'claude-proxy' answered what its format does not allow: ");
        StepVerifier.create(bridge.events(Flux.just(SseEvent.named("message_start", "{garbled"))))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(UpstreamProtocolException.class,
                        protocol -> assertThat(protocol.provider()).isEqualTo("claude-proxy")))
                .verify(Duration.ofSeconds(5));
    }
}
