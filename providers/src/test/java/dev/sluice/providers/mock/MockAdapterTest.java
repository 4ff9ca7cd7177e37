package dev.sluice.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.Completion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The mock's answers, read back with the official openai-java models to prove their shapes. */
class MockAdapterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final JsonMapper SDK = ObjectMappers.jsonMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = """
            {"model":"echo","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"first question"},
              {"role":"assistant","content":"an answer"},
              {"role":"user","content":[{"type":"text","text":"Hello  brave"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"new world"}]}]}""";
    private static final String REPLY = "Hello  brave\nnew world";

    private final ProviderAdapter adapter = new MockProviderFactory()
            .create(ProviderConfig.builder("mock", "mock").build(), new ProviderContext(Schedulers.parallel()));

    @Test
    void echoesTheLastUserMessageAsAChatCompletion() {
        ChatCompletion completion = read(call(Operation.CHAT_COMPLETIONS, CHAT), ChatCompletion.class);

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("mock-model");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains(REPLY);
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().get().promptTokens()).isEqualTo(2 + 2 + 2 + 4);
        assertThat(completion.usage().get().completionTokens()).isEqualTo(4);
        assertThat(completion.usage().get().totalTokens()).isEqualTo(14);
    }

    @Test
    void repliesWithAFixedTextWhenThereIsNoUserMessage() {
        ChatCompletion completion = read(call(Operation.CHAT_COMPLETIONS,
                "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"}]}"), ChatCompletion.class);

        assertThat(completion.choices().get(0).message().content()).contains("(no user message)");
    }

    @Test
    void streamsAChatReplyWordByWordThenDone() {
        List<SseEvent> events = stream(Operation.CHAT_COMPLETIONS, CHAT);

        assertThat(events.getLast().isDone()).isTrue();
        List<ChatCompletionChunk> chunks = events.subList(0, events.size() - 1).stream()
                .map(event -> read(event.data(), ChatCompletionChunk.class)).toList();
        assertThat(chunks).hasSize(1 + 4 + 1);
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        assertThat(chunks.getLast().choices().getFirst().finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(chunks.stream().map(chunk -> chunk.choices().getFirst().delta().content().orElse("")))
                .containsExactly("", "Hello", "  brave", "\nnew", " world", "");
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
    }

    @Test
    void endsAChatStreamWithUsageWhenAskedFor() {
        String request = CHAT.replace("{\"model\":\"echo\",", "{\"model\":\"echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},");
        List<SseEvent> events = stream(Operation.CHAT_COMPLETIONS, request);

        assertThat(events.getLast().isDone()).isTrue();
        ChatCompletionChunk usage = read(events.get(events.size() - 2).data(), ChatCompletionChunk.class);
        assertThat(usage.choices()).isEmpty();
        assertThat(usage.usage().get().promptTokens()).isEqualTo(10);
        assertThat(usage.usage().get().completionTokens()).isEqualTo(4);
        assertThat(events).hasSize(1 + 4 + 1 + 1 + 1);
    }

    @Test
    void echoesTheFirstPromptAsATextCompletion() {
        Completion completion = read(call(Operation.COMPLETIONS, "{\"prompt\":[\"Say this\",\"and that\"]}"), Completion.class);

        assertThat(completion.id()).startsWith("cmpl-");
        assertThat(completion.choices().getFirst().text()).isEqualTo("Say this");
        assertThat(completion.usage().get().promptTokens()).isEqualTo(4);
        assertThat(completion.usage().get().completionTokens()).isEqualTo(2);
    }

    @Test
    void streamsATextCompletionThenDone() {
        List<SseEvent> events = stream(Operation.COMPLETIONS, "{\"prompt\":\"Say this is a test\"}");

        assertThat(events.getLast().isDone()).isTrue();
        StringBuilder text = new StringBuilder();
        for (SseEvent event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = tree(event.data());
            assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
            text.append(chunk.path("choices").get(0).path("text").asText());
        }
        assertThat(text).hasToString("Say this is a test");
        assertThat(tree(events.get(events.size() - 2).data()).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void echoesTheInputAsAResponse() {
        Response response = read(call(Operation.RESPONSES, "{\"input\":\"Tell me a story\",\"instructions\":\"Be kind.\"}"), Response.class);

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).isPresent();
        assertThat(response.status().get().asString()).isEqualTo("completed");
        assertThat(response.model().asString()).isEqualTo("mock-model");
        assertThat(text(response)).isEqualTo("Tell me a story");
        assertThat(response.usage().get().inputTokens()).isEqualTo(4);
        assertThat(response.usage().get().outputTokens()).isEqualTo(4);
        assertThat(response.usage().get().totalTokens()).isEqualTo(8);
    }

    @Test
    void echoesTheLastUserItemOfAnInputArray() {
        String request = """
                {"input":[
                  {"role":"user","content":"earlier"},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"reply"}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"latest words"},{"type":"input_image","image_url":"x"}]}]}""";
        Response response = read(call(Operation.RESPONSES, request), Response.class);

        assertThat(text(response)).isEqualTo("latest words");
        assertThat(response.usage().get().inputTokens()).isEqualTo(4);
    }

    @Test
    void streamsTheResponsesEventSequence() {
        List<SseEvent> events = stream(Operation.RESPONSES, "{\"input\":\"one two three\"}");

        assertThat(events).extracting(SseEvent::event).containsExactly(
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        List<ResponseStreamEvent> parsed = events.stream().map(event -> read(event.data(), ResponseStreamEvent.class)).toList();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = tree(events.get(i).data());
            assertThat(event.path("type").asText()).isEqualTo(events.get(i).event());
            assertThat(event.path("sequence_number").asInt()).isEqualTo(i);
        }
        String deltas = parsed.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(event -> event.asOutputTextDelta().delta()).reduce("", String::concat);
        assertThat(deltas).isEqualTo("one two three");
        Response completed = parsed.getLast().asCompleted().response();
        assertThat(text(completed)).isEqualTo("one two three");
        assertThat(completed.id()).isEqualTo(parsed.getFirst().asCreated().response().id());
    }

    @Test
    void embedsDeterministicUnitVectors() {
        CreateEmbeddingResponse first = read(call(Operation.EMBEDDINGS, "{\"input\":[\"alpha\",\"beta gamma\"]}"), CreateEmbeddingResponse.class);
        CreateEmbeddingResponse again = read(call(Operation.EMBEDDINGS, "{\"input\":\"alpha\"}"), CreateEmbeddingResponse.class);

        assertThat(first.data()).hasSize(2);
        assertThat(first.data()).extracting(embedding -> embedding.index()).containsExactly(0L, 1L);
        assertThat(first.data()).allSatisfy(embedding -> {
            assertThat(embedding.embedding()).hasSize(MockEmbeddings.DEFAULT_DIMENSIONS);
            assertThat(norm(embedding.embedding())).isCloseTo(1.0, within(1e-5));
        });
        assertThat(again.data().getFirst().embedding()).isEqualTo(first.data().getFirst().embedding());
        assertThat(first.data().get(1).embedding()).isNotEqualTo(first.data().getFirst().embedding());
        assertThat(first.usage().promptTokens()).isEqualTo(3);
        assertThat(first.model()).isEqualTo("mock-model");
    }

    @Test
    void honoursDimensionsAndTokenInputs() {
        CreateEmbeddingResponse tokens = read(call(Operation.EMBEDDINGS, "{\"input\":[[1,2,3],[4,5]],\"dimensions\":64}"), CreateEmbeddingResponse.class);
        CreateEmbeddingResponse single = read(call(Operation.EMBEDDINGS, "{\"input\":[1,2,3],\"dimensions\":64}"), CreateEmbeddingResponse.class);

        assertThat(tokens.data()).hasSize(2);
        assertThat(tokens.data().getFirst().embedding()).hasSize(64);
        assertThat(tokens.usage().promptTokens()).isEqualTo(5);
        assertThat(single.data()).hasSize(1);
        assertThat(single.data().getFirst().embedding()).isEqualTo(tokens.data().getFirst().embedding());
    }

    @Test
    void encodesEmbeddingsAsLittleEndianFloatsInBase64() {
        JsonNode floats = tree(call(Operation.EMBEDDINGS, "{\"input\":\"alpha\"}"));
        JsonNode base64 = tree(call(Operation.EMBEDDINGS, "{\"input\":\"alpha\",\"encoding_format\":\"base64\"}"));

        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.path("data").get(0).path("embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        List<Float> decoded = new ArrayList<>();
        while (bytes.hasRemaining()) {
            decoded.add(bytes.getFloat());
        }
        List<Float> expected = new ArrayList<>();
        floats.path("data").get(0).path("embedding").forEach(value -> expected.add(value.floatValue()));
        assertThat(decoded).isEqualTo(expected);
    }

    @Test
    void refusesBadEmbeddingRequests() {
        StepVerifier.create(adapter.call(new ProviderCall(Operation.EMBEDDINGS, "m", bytes("{\"input\":\"x\",\"dimensions\":0}"), null)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("dimensions: 0"))
                .verify(WAIT);
        StepVerifier.create(adapter.call(new ProviderCall(Operation.EMBEDDINGS, "m", bytes("{\"input\":{}}"), null)))
                .expectError(InvalidRequestException.class)
                .verify(WAIT);
    }

    @Test
    void refusesToStreamEmbeddings() {
        assertThat(adapter.supports(Operation.EMBEDDINGS)).isTrue();
        StepVerifier.create(adapter.stream(new ProviderCall(Operation.EMBEDDINGS, "m", bytes("{\"input\":\"x\"}"), null)))
                .expectError(InvalidRequestException.class)
                .verify(WAIT);
    }

    @Test
    void refusesABodyThatIsNotJson() {
        StepVerifier.create(adapter.call(new ProviderCall(Operation.CHAT_COMPLETIONS, "m", bytes("not json"), null)))
                .expectErrorSatisfies(error -> assertThat(((InvalidRequestException) error).status()).isEqualTo(400))
                .verify(WAIT);
    }

    @Test
    void answersInTextWhenToolsAreOfferedButMessagesIsNotAList() {
        String answer = call(Operation.CHAT_COMPLETIONS, "{\"model\":\"m\",\"messages\":{\"endpoint\":\"\"},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}");

        assertThat(answer).contains("\"finish_reason\":\"stop\"").doesNotContain("tool_calls");
    }

    private String call(Operation operation, String request) {
        AtomicReference<byte[]> answer = new AtomicReference<>();
        StepVerifier.create(adapter.call(new ProviderCall(operation, "mock-model", bytes(request), null)))
                .consumeNextWith(answer::set)
                .expectComplete()
                .verify(WAIT);
        return new String(answer.get(), StandardCharsets.UTF_8);
    }

    private List<SseEvent> stream(Operation operation, String request) {
        List<SseEvent> events = new ArrayList<>();
        StepVerifier.create(adapter.stream(new ProviderCall(operation, "mock-model", bytes(request), null)))
                .recordWith(() -> events)
                .thenConsumeWhile(event -> true)
                .expectComplete()
                .verify(WAIT);
        return events;
    }

    /** Parses with the SDK's own mapper and checks every field the SDK requires. */
    private static <T> T read(String json, Class<T> type) {
        try {
            T value = SDK.readValue(json, type);
            type.getMethod("validate").invoke(value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getSimpleName() + " does not validate: " + json, e.getCause());
        }
    }

    private static String text(Response response) {
        return response.output().getFirst().asMessage().content().getFirst().asOutputText().text();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double norm(List<Float> vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
