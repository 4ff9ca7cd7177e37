package dev.sluice.server;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.NativeProviders;
import dev.sluice.server.support.NativeProviders.Kind;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Anthropic route, with the anthropic-java SDK as the client, to a provider of every type. */
class AnthropicRouteTest {

    private NativeProviders providers;
    private RunningGateway gateway;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        providers = new NativeProviders();
        gateway = providers.gateway();
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.url("/anthropic")).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        providers.close();
    }

    private static MessageCreateParams.Builder ask(Kind kind) {
        return MessageCreateParams.builder().model(kind.model()).maxTokens(256).system("Be brief.").addUserMessage(NativeProviders.TEXT);
    }

    private static MessageCreateParams askWithTool(Kind kind) {
        Tool weather = Tool.builder().name(NativeProviders.TOOL).description("Current weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
                        .build())
                .build();
        return ask(kind).addTool(weather).build();
    }

    private static String text(Message message) {
        return message.content().stream().flatMap(block -> block.text().stream()).map(text -> text.text()).collect(Collectors.joining());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersAMessage(Kind kind) {
        providers.answerText(kind, false);

        Message message = client.messages().create(ask(kind).build());

        assertThat(text(message)).isEqualTo(NativeProviders.TEXT);
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.lastUserText(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TEXT);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsAMessage(Kind kind) {
        providers.answerText(kind, true);
        MessageAccumulator accumulator = MessageAccumulator.create();

        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(ask(kind).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        assertThat(text(message)).isEqualTo(NativeProviders.TEXT);
        assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void callsATool(Kind kind) {
        providers.answerToolCall(kind, false);

        Message message = client.messages().create(askWithTool(kind));

        assertToolCall(kind, message);
        RecordedRequest sent = providers.sent(kind);
        if (sent != null) {
            assertThat(NativeProviders.offeredTool(kind, json(sent.getBody().readUtf8()))).isEqualTo(NativeProviders.TOOL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamsAToolCall(Kind kind) {
        providers.answerToolCall(kind, true);
        MessageAccumulator accumulator = MessageAccumulator.create();

        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(askWithTool(kind))) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertToolCall(kind, accumulator.message());
    }

    private static void assertToolCall(Kind kind, Message message) {
        assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(message.content()).filteredOn(ContentBlock::isToolUse).singleElement().satisfies(block -> {
            assertThat(block.asToolUse().name()).isEqualTo(NativeProviders.TOOL);
            assertThat(block.asToolUse()._input().convert(Map.class)).isEqualTo(NativeProviders.toolArguments(kind));
        });
    }

    @Test
    void forwardsAnAnthropicBodyUntouchedButForTheModel() throws InterruptedException {
        providers.answerText(Kind.ANTHROPIC, false);
        String body = "{ \"model\" : \"anthropic/claude-sonnet-4\", \"max_tokens\": 64,\n"
                + "  \"messages\": [{\"role\": \"user\", \"content\": \"Hello world\"}], \"metadata\": {\"user_id\": \"u-1\"} }";

        HttpResponse<String> answer = gateway.post("/anthropic/v1/messages", body);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":\"msg_01\"");
        RecordedRequest sent = providers.sent(Kind.ANTHROPIC);
        assertThat(sent.getPath()).isEqualTo("/v1/messages");
        assertThat(sent.getHeader("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.getBody().readUtf8()).isEqualTo(body.replace("anthropic/claude-sonnet-4", "claude-sonnet-4"));
    }

    @Test
    void anUnprefixedModelMeansTheProviderNamedAnthropic() {
        providers.answerText(Kind.ANTHROPIC, false);

        Message message = client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4").maxTokens(64)
                .addUserMessage(NativeProviders.TEXT).build());

        assertThat(text(message)).isEqualTo(NativeProviders.TEXT);
        assertThat(json(providers.sent(Kind.ANTHROPIC).getBody().readUtf8()).path("model").asText()).isEqualTo("claude-sonnet-4");
    }

    @Test
    void countsTokensWithAProviderThatCan() {
        providers.upstream(Kind.ANTHROPIC).enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"input_tokens\":14}"));

        long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model(Kind.ANTHROPIC.model())
                .addUserMessage(NativeProviders.TEXT).build()).inputTokens();

        assertThat(tokens).isEqualTo(14);
        RecordedRequest sent = providers.sent(Kind.ANTHROPIC);
        assertThat(sent.getPath()).isEqualTo("/v1/messages/count_tokens");
        assertThat(json(sent.getBody().readUtf8()).path("model").asText()).isEqualTo("claude-sonnet-4");
    }

    @Test
    void refusesToCountTokensWhereTheProviderCannot() {
        assertThatThrownBy(() -> client.messages().countTokens(MessageCountTokensParams.builder().model(Kind.OPENAI.model())
                .addUserMessage(NativeProviders.TEXT).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("messages/count_tokens");
        assertThat(providers.upstream(Kind.OPENAI).getRequestCount()).isZero();
    }

    @Test
    void errorsTakeAnthropicsShape() {
        HttpResponse<String> refused = gateway.post("/anthropic/v1/messages", "{\"max_tokens\":5,\"messages\":[]}");
        HttpResponse<String> unknown = gateway.post("/anthropic/v1/nothing", "{}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("type").asText()).isEqualTo("error");
        assertThat(json(refused.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(refused.body()).at("/error/message").asText()).contains("model");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).at("/error/type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void anotherFormatsUpstreamErrorIsToldInAnthropicsShape() {
        providers.answerError(Kind.OPENAI, 429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");

        assertThatThrownBy(() -> client.messages().create(ask(Kind.OPENAI).build()))
                .isInstanceOf(RateLimitException.class)
                .hasMessageContaining("Rate limit reached for gpt-4o-mini");
    }

    @Test
    void theSameFormatsUpstreamErrorIsPassedOnAsItIs() {
        String overloaded = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
        providers.answerError(Kind.ANTHROPIC, 529, overloaded);

        HttpResponse<String> answer = gateway.post("/anthropic/v1/messages",
                "{\"model\":\"anthropic/claude-sonnet-4\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(answer.statusCode()).isEqualTo(529);
        assertThat(answer.body()).isEqualTo(overloaded);
    }

    @Test
    void aStreamThatBreaksEndsWithAnAnthropicErrorEvent() {
        providers.upstream(Kind.OPENAI).enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody("""
                data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                """));

        HttpResponse<String> answer = gateway.post("/anthropic/v1/messages", "{\"model\":\"openai/gpt-4o-mini\",\"max_tokens\":5,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("event: message_start").contains("\"text\":\"Hel\"").doesNotContain("message_stop");
        String last = answer.body().strip().substring(answer.body().strip().lastIndexOf("event: "));
        assertThat(last).startsWith("event: error");
        JsonNode error = json(last.substring(last.indexOf("data: ") + "data: ".length()));
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("api_error");
    }
}
