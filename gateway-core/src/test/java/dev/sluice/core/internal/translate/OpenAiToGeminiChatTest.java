package dev.sluice.core.internal.translate;

import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** An OpenAI caller served by a Gemini provider, through the bridge the gateway uses. */
class OpenAiToGeminiChatTest {

    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1741570283), ZoneOffset.UTC);

    private final ProviderBridge bridge = ProviderBridge.between(OpenAiFormat.OPENAI, Operation.CHAT_COMPLETIONS, GeminiFormat.GEMINI, "upstream", CLOCK).orElseThrow();

    @Test
    void geminiServesChatCompletionsButNotLegacyCompletions() {
        assertThat(bridge).isInstanceOf(ChatTranslation.class);
        assertThat(ProviderBridge.between(OpenAiFormat.OPENAI, Operation.COMPLETIONS, GeminiFormat.GEMINI, "upstream", CLOCK)).isEmpty();
    }

    @Test
    void openAiRequestBecomesAGeminiBodyWithoutModel() {
        Map<String, Object> body = json(bridge.request(
                RequestBody.parse(Fixtures.bytes("openai/request-full.json")), "gemini-2.5-flash", false));

        assertThat(body).doesNotContainKeys("model", "messages", "stream", "max_tokens", "stop");
        assertThat(body).containsEntry("systemInstruction",
                Map.of("parts", List.of(Map.of("text", "You are a terse travel assistant."))));
        assertThat(body.get("contents")).isEqualTo(List.of(
                Map.of("role", "user", "parts", List.of(Map.of("text", "Hi! What is in these pictures?"))),
                Map.of("role", "model", "parts", List.of(Map.of("text", "Send them over."))),
                Map.of("role", "user", "parts", List.of(
                        Map.of("text", "Here they are."),
                        Map.of("fileData", Map.of("mimeType", "image/jpeg", "fileUri", "https://example.com/harbour.jpg")),
                        Map.of("inlineData", Map.of("mimeType", "image/png", "data", PNG)))),
                Map.of("role", "model", "parts", List.of(Map.of("functionCall",
                        Map.of("name", "get_weather", "args", Map.of("city", "Lisbon", "unit", "celsius"))))),
                Map.of("role", "user", "parts", List.of(
                        Map.of("functionResponse", Map.of("name", "get_weather",
                                "response", Map.of("temp", 21L, "sky", "clear"))),
                        Map.of("text", "So, should I bring an umbrella?")))));
        assertThat((Object) at(body, "tools", 0, "functionDeclarations", 0, "name")).isEqualTo("get_weather");
        assertThat((Object) at(body, "tools", 0, "functionDeclarations", 0, "description")).isEqualTo("Current weather for a city");
        assertThat((Object) at(body, "tools", 0, "functionDeclarations", 0, "parameters", "required")).isEqualTo(List.of("city"));
        assertThat(body).containsEntry("toolConfig", Map.of("functionCallingConfig", Map.of("mode", "AUTO")));
        Map<String, Object> config = at(body, "generationConfig");
        assertThat(config).containsEntry("maxOutputTokens", 512L)
                .containsEntry("stopSequences", List.of("\n\nHuman:", "END"));
        assertThat(((Number) config.get("temperature")).doubleValue()).isEqualTo(0.7);
        assertThat(((Number) config.get("topP")).doubleValue()).isEqualTo(0.9);
    }

    @Test
    void geminiTextAnswerBecomesAnOpenAiCompletion() {
        Map<String, Object> response = json(bridge.answer(Fixtures.bytes("gemini/response-text.json")));

        assertThat(response).containsEntry("id", "mPHQaO2xBraD1MkP2q6TgQ4").containsEntry("object", "chat.completion")
                .containsEntry("model", "gemini-2.5-flash").containsEntry("created", 1741570283L);
        assertThat((Object) at(response, "choices", 0, "message", "content")).isEqualTo("Lisbon is sunny today, no umbrella needed.");
        assertThat((Object) at(response, "choices", 0, "finish_reason")).isEqualTo("stop");
        assertThat((Object) at(response, "usage", "prompt_tokens")).isEqualTo(312L);
        assertThat((Object) at(response, "usage", "completion_tokens")).isEqualTo(49L);
        assertThat((Object) at(response, "usage", "prompt_tokens_details", "cached_tokens")).isEqualTo(256L);
        assertThat((Object) at(response, "usage", "completion_tokens_details", "reasoning_tokens")).isEqualTo(40L);
    }

    @Test
    void geminiFunctionCallsBecomeOpenAiToolCallsWithSynthesisedIds() {
        Map<String, Object> response = json(bridge.answer(Fixtures.bytes("gemini/response-function-call.json")));

        assertThat((Object) at(response, "choices", 0, "finish_reason")).isEqualTo("tool_calls");
        assertThat((Object) at(response, "choices", 0, "message", "content")).isEqualTo("Let me check both cities.");
        List<Map<String, Object>> calls = at(response, "choices", 0, "message", "tool_calls");
        assertThat(calls).extracting(c -> c.get("id")).containsExactly("call_0", "call_1");
        assertThat((Object) at(calls, 0, "function", "name")).isEqualTo("get_weather");
        assertThat(json((String) at(calls, 0, "function", "arguments"))).isEqualTo(Map.of("city", "Lisbon", "unit", "celsius"));
        assertThat(json((String) at(calls, 1, "function", "arguments"))).isEqualTo(Map.of("city", "Porto"));
        assertThat((Object) at(response, "usage", "prompt_tokens")).isEqualTo(120L);
        assertThat((Object) at(response, "usage", "completion_tokens")).isEqualTo(31L);
        assertThat((Object) at(response, "usage", "total_tokens")).isEqualTo(151L);
    }

    @Test
    void geminiTextStreamBecomesOpenAiChunksThenUsageThenDone() {
        List<SseEvent> events = bridge.events(Flux.fromIterable(Fixtures.sse("gemini/stream-text.sse"))).collectList().block();

        assertThat(events).allMatch(e -> e.event() == null);
        assertThat(events.getLast().isDone()).isTrue();
        List<Map<String, Object>> chunks = events.subList(0, events.size() - 1).stream().map(e -> json(e.data())).toList();
        assertThat(chunks).allMatch(c -> "chat.completion.chunk".equals(c.get("object"))
                && "tvHQaOu0LpWd1MkPh8-e4Aw".equals(c.get("id")) && "gemini-2.5-flash".equals(c.get("model")));
        assertThat((Object) at(chunks, 0, "choices", 0, "delta", "role")).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> chunk : chunks) {
            if (!((List<?>) chunk.get("choices")).isEmpty() && at(chunk, "choices", 0, "delta", "content") instanceof String s) {
                text.append(s);
            }
        }
        assertThat(text).hasToString("Bring sunglasses, not an umbrella.");
        Map<String, Object> finish = chunks.get(chunks.size() - 2);
        assertThat((Object) at(finish, "choices", 0, "finish_reason")).isEqualTo("stop");
        Map<String, Object> usage = chunks.getLast();
        assertThat((List<?>) usage.get("choices")).isEmpty();
        assertThat((Object) at(usage, "usage", "prompt_tokens")).isEqualTo(24L);
        assertThat((Object) at(usage, "usage", "completion_tokens")).isEqualTo(28L);
        assertThat((Object) at(usage, "usage", "completion_tokens_details", "reasoning_tokens")).isEqualTo(20L);
    }

    @Test
    void geminiFunctionCallStreamBecomesOneOpenAiToolCall() {
        List<SseEvent> events = bridge.events(Flux.fromIterable(Fixtures.sse("gemini/stream-function-call.sse")))
                .collectList().block();

        List<Map<String, Object>> chunks = events.subList(0, events.size() - 1).stream().map(e -> json(e.data())).toList();
        assertThat((Object) at(chunks, 1, "choices", 0, "delta", "tool_calls", 0, "id")).isEqualTo("call_0");
        assertThat((Object) at(chunks, 1, "choices", 0, "delta", "tool_calls", 0, "function", "name")).isEqualTo("get_weather");
        assertThat(json((String) at(chunks, 2, "choices", 0, "delta", "tool_calls", 0, "function", "arguments")))
                .isEqualTo(Map.of("city", "Lisbon"));
        assertThat((Object) at(chunks, 3, "choices", 0, "finish_reason")).isEqualTo("tool_calls");
        assertThat(events.getLast().isDone()).isTrue();
    }
}
