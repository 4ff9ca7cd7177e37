package dev.sluice.core.internal.translate;

import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static dev.sluice.core.format.openai.OpenAiResponsesCodecTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

/** A Responses API caller served by Anthropic and Gemini providers, through the bridge the gateway uses. */
class ResponsesCrossFormatTest {

    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final ProviderBridge toAnthropic = ProviderBridge.between(OpenAiFormat.OPENAI, Operation.RESPONSES, AnthropicFormat.ANTHROPIC, "upstream", CLOCK).orElseThrow();
    private final ProviderBridge toGemini = ProviderBridge.between(OpenAiFormat.OPENAI, Operation.RESPONSES, GeminiFormat.GEMINI, "upstream", CLOCK).orElseThrow();

    private static RequestBody fullRequest() {
        return RequestBody.parse(Fixtures.bytes("openai/responses-request-full.json"));
    }

    @Test
    void asksTheProviderForAChat() {
        assertThat(toGemini.operation()).isEqualTo(Operation.CHAT_COMPLETIONS);
        assertThat(toAnthropic.operation()).isEqualTo(Operation.CHAT_COMPLETIONS);
    }

    @Test
    void providersAreAskedToChat() {
        assertThat(toAnthropic.operation()).isEqualTo(Operation.CHAT_COMPLETIONS);
        assertThat(toGemini.operation()).isEqualTo(Operation.CHAT_COMPLETIONS);
    }

    @Test
    void responsesRequestBecomesAnAnthropicMessagesRequest() {
        Map<String, Object> body = json(toAnthropic.request(fullRequest(), "claude-sonnet-4-5-20250929", false));

        assertThat(body).containsEntry("model", "claude-sonnet-4-5-20250929").containsEntry("max_tokens", 512L)
                .containsEntry("stream", true).containsEntry("tool_choice", Map.of("type", "tool", "name", "get_weather"))
                .doesNotContainKeys("input", "instructions", "max_output_tokens", "store", "metadata", "text");
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("type", "text", "text", "You are a terse travel assistant."),
                Map.of("type", "text", "text", "Prefer metric units.")));
        assertThat(body.get("messages")).isEqualTo(List.of(
                Map.of("role", "user", "content", List.of(
                        Map.of("type", "text", "text", "What is in these pictures?"),
                        Map.of("type", "image", "source", Map.of("type", "url", "url", "https://example.com/harbour.jpg")),
                        Map.of("type", "image", "source", Map.of("type", "base64", "media_type", "image/png", "data", PNG)))),
                Map.of("role", "assistant", "content", List.of(
                        Map.of("type", "text", "text", "A harbour. Let me check the weather."),
                        Map.of("type", "tool_use", "id", "call_7Qw2", "name", "get_weather",
                                "input", Map.of("city", "Lisbon", "unit", "celsius")),
                        Map.of("type", "tool_use", "id", "call_8Xy3", "name", "get_weather", "input", Map.of("city", "Porto")))),
                Map.of("role", "user", "content", List.of(
                        Map.of("type", "tool_result", "tool_use_id", "call_7Qw2", "content", "{\"temp\":21,\"sky\":\"clear\"}"),
                        Map.of("type", "tool_result", "tool_use_id", "call_8Xy3", "content", "{\"temp\":17,\"sky\":\"rain\"}"),
                        Map.of("type", "text", "text", "So, should I bring an umbrella?")))));
        assertThat((Object) at(body, "tools", 0, "input_schema", "required")).isEqualTo(List.of("city"));
    }

    @Test
    void responsesRequestBecomesAGeminiGenerateContentRequest() {
        Map<String, Object> body = json(toGemini.request(fullRequest(), "gemini-2.5-flash", false));

        assertThat(body).doesNotContainKeys("model", "input", "instructions", "stream");
        assertThat((List<?>) at(body, "systemInstruction", "parts")).hasSize(2);
        List<Map<String, Object>> contents = at(body, "contents");
        assertThat(contents).extracting(content -> content.get("role")).containsExactly("user", "model", "user");
        assertThat((Object) at(contents, 1, "parts", 2, "functionCall")).isEqualTo(Map.of("name", "get_weather", "args", Map.of("city", "Porto")));
        assertThat((Object) at(contents, 2, "parts", 1, "functionResponse"))
                .isEqualTo(Map.of("name", "get_weather", "response", Map.of("temp", 17L, "sky", "rain")));
        assertThat((Object) at(body, "generationConfig", "maxOutputTokens")).isEqualTo(512L);
    }

    @Test
    void anthropicToolUseAnswerBecomesAResponseWithAFunctionCallItem() {
        Map<String, Object> response = json(toAnthropic.answer(Fixtures.bytes("anthropic/response-tool-use.json")));

        assertThat(response).containsEntry("id", "resp_msg_01Aq9w938a90dw8q").containsEntry("object", "response")
                .containsEntry("status", "completed").containsEntry("model", "claude-sonnet-4-5-20250929");
        assertThat((Object) at(response, "output", 0, "content", 0, "text")).isEqualTo("I'll check the weather.");
        assertThat((Map<String, Object>) at(response, "output", 1)).containsEntry("type", "function_call")
                .containsEntry("call_id", "toolu_01A09q90qw90lq917835lq9").containsEntry("name", "get_weather");
        assertThat(json((String) at(response, "output", 1, "arguments")))
                .isEqualTo(Map.of("city", "San Francisco, CA", "unit", "celsius"));
        assertThat(OpenAiFormat.OPENAI.usage(Json.writeBytes(response))).isEqualTo(new TokenCounts(472, 91));
    }

    @Test
    void geminiFunctionCallsBecomeFunctionCallItemsWithSynthesisedCallIds() {
        Map<String, Object> response = json(toGemini.answer(Fixtures.bytes("gemini/response-function-call.json")));

        List<Map<String, Object>> output = at(response, "output");
        assertThat(output).extracting(item -> item.get("type")).containsExactly("message", "function_call", "function_call");
        assertThat(output).extracting(item -> item.get("call_id")).containsExactly(null, "call_0", "call_1");
        assertThat((Object) at(response, "usage", "total_tokens")).isEqualTo(151L);
    }

    @Test
    void anthropicStreamBecomesResponsesEventsEndingWithUsage() {
        List<SseEvent> events = toAnthropic.events(Flux.fromIterable(Fixtures.sse("anthropic/stream-text.sse")))
                .collectList().block(Duration.ofSeconds(5));

        assertThat(events).extracting(SseEvent::event).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        Map<String, Object> completed = json(events.getLast().data());
        assertThat((Object) at(completed, "response", "output", 0, "content", 0, "text")).isEqualTo("Hello, world — how can I help?");
        assertThat((Object) at(completed, "response", "usage", "input_tokens_details", "cached_tokens")).isEqualTo(100L);
        assertThat(OpenAiFormat.OPENAI.usage(events.getLast())).contains(new TokenCounts(125, 15));
    }

    @Test
    void geminiStreamedFunctionCallBecomesAFunctionCallItem() {
        List<SseEvent> events = toGemini.events(Flux.fromIterable(Fixtures.sse("gemini/stream-function-call.sse")))
                .collectList().block(Duration.ofSeconds(5));

        assertThat(events).extracting(SseEvent::event).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat((Object) at(json(events.get(4).data()), "arguments")).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat((Map<String, Object>) at(json(events.getLast().data()), "response", "output", 0))
                .containsEntry("call_id", "call_0").containsEntry("name", "get_weather").containsEntry("status", "completed");
    }
}
