package dev.sluice.core.internal.translate;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.format.Fixtures;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.embeddings.Vectors;
import dev.sluice.core.format.gemini.GeminiEmbeddingsCodec;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.format.openai.OpenAiFormat;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.EmbeddingsCodecTest.LIFE;
import static dev.sluice.core.format.EmbeddingsCodecTest.geminiBody;
import static dev.sluice.core.format.EmbeddingsCodecTest.openAiBody;
import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Embeddings between OpenAI and Gemini callers and providers, through the bridge the gateway uses. */
class EmbeddingsTranslationTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final GeminiEmbeddingsCodec GEMINI = new GeminiEmbeddingsCodec();

    private static ProviderBridge bridge(WireFormat caller, WireFormat provider) {
        return ProviderBridge.between(caller, Operation.EMBEDDINGS, provider, "upstream", CLOCK).orElseThrow();
    }

    @Test
    void bridgesOpenAiAndGeminiButNotAnthropic() {
        assertThat(bridge(OpenAiFormat.OPENAI, GeminiFormat.GEMINI)).isInstanceOf(EmbeddingsTranslation.class)
                .extracting(ProviderBridge::operation).isEqualTo(Operation.EMBEDDINGS);
        assertThat(bridge(GeminiFormat.GEMINI, OpenAiFormat.OPENAI)).isInstanceOf(EmbeddingsTranslation.class);
        assertThat(ProviderBridge.between(OpenAiFormat.OPENAI, Operation.EMBEDDINGS, AnthropicFormat.ANTHROPIC, "upstream", CLOCK)).isEmpty();
        assertThat(ProviderBridge.between(AnthropicFormat.ANTHROPIC, Operation.EMBEDDINGS, GeminiFormat.GEMINI, "upstream", CLOCK)).isEmpty();
        assertThat(bridge(GeminiFormat.GEMINI, GeminiFormat.GEMINI)).isInstanceOf(ProviderBridge.FastPath.class);
    }

    @Test
    void openAiCallerGetsGeminiVectorsAsAnOpenAiList() {
        ProviderBridge bridge = bridge(OpenAiFormat.OPENAI, GeminiFormat.GEMINI);

        Map<String, Object> sent = json(bridge.request(openAiBody(
                "{\"model\":\"gemini/text-embedding-004\",\"input\":[\"life\",\"brain\"],\"dimensions\":4}"), "text-embedding-004", false));
        Map<String, Object> answer = json(bridge.answer(Fixtures.bytes("gemini/batch-embed-contents-response.json")));

        assertThat((List<?>) sent.get("requests")).hasSize(2);
        assertThat((Object) at(sent, "requests", 1)).isEqualTo(Map.of("model", "models/text-embedding-004",
                "content", Map.of("parts", List.of(Map.of("text", "brain"))), "outputDimensionality", 4L));
        assertThat(answer).containsEntry("object", "list").containsEntry("model", "text-embedding-004")
                .containsEntry("usage", Map.of("prompt_tokens", 0L, "total_tokens", 0L));
        assertThat((List<?>) answer.get("data")).hasSize(2);
        assertThat((Object) at(answer, "data", 1, "index")).isEqualTo(1L);
    }

    @Test
    void openAiCallerAskingForBase64GetsPackedFloats() {
        ProviderBridge bridge = bridge(OpenAiFormat.OPENAI, GeminiFormat.GEMINI);
        bridge.request(openAiBody("{\"model\":\"g/e\",\"input\":\"life\",\"encoding_format\":\"base64\"}"), "e", false);

        Map<String, Object> answer = json(bridge.answer(Fixtures.bytes("gemini/embed-content-response.json")));

        assertThat(Vectors.fromBase64(at(answer, "data", 0, "embedding"))).containsExactly(LIFE);
    }

    @Test
    void geminiEmbedContentCallerGetsOneEmbeddingFromOpenAi() {
        ProviderBridge bridge = bridge(GeminiFormat.GEMINI, OpenAiFormat.OPENAI);

        Map<String, Object> sent = json(bridge.request(geminiBody(Fixtures.bytes("gemini/embed-content-request.json"),
                "openai/text-embedding-3-small"), "text-embedding-3-small", false));
        Map<String, Object> answer = json(bridge.answer(("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":\"" + Vectors.toBase64(LIFE) + "\"}],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}").getBytes()));

        assertThat(sent).isEqualTo(Map.of("model", "text-embedding-3-small", "input", "What is the meaning of life?",
                "dimensions", 4L));
        assertThat(answer).containsOnlyKeys("embedding");
        assertThat(GEMINI.decodeResponse(Json.writeBytes(answer)).vectors().getFirst()).containsExactly(LIFE);
    }

    @Test
    void geminiBatchCallerGetsEmbeddingsFromOpenAiInOrder() {
        ProviderBridge bridge = bridge(GeminiFormat.GEMINI, OpenAiFormat.OPENAI);

        Map<String, Object> sent = json(bridge.request(geminiBody(Fixtures.bytes("gemini/batch-embed-contents-request.json"),
                "openai/text-embedding-3-small"), "text-embedding-3-small", false));
        byte[] answer = bridge.answer(Fixtures.bytes("openai/embeddings-response.json"));

        assertThat(sent).containsEntry("input", List.of("What is the meaning of life?", "How does the brain work?"));
        assertThat(json(answer)).containsOnlyKeys("embeddings");
        List<float[]> vectors = GEMINI.decodeResponse(answer).vectors();
        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(0)).containsExactly(-0.006929283495992422f, -0.005336422007530928f, 0.00047350498f, 1f);
        assertThat(vectors.get(1)).containsExactly(0.0023064255f, -0.009327292f, 0.015797347f, -0.0077780345f);
    }

    @Test
    void aProviderAnsweringWithTheWrongNumberOfVectorsFailsAsTheProvidersFault() {
        ProviderBridge bridge = bridge(OpenAiFormat.OPENAI, GeminiFormat.GEMINI);
        bridge.request(openAiBody("{\"model\":\"g/e\",\"input\":[\"a\",\"b\",\"c\"]}"), "e", false);

        assertThatThrownBy(() -> bridge.answer(Fixtures.bytes("gemini/batch-embed-contents-response.json")))
                .isInstanceOfSatisfying(UpstreamProtocolException.class, error -> assertThat(error.provider()).isEqualTo("upstream"))
                .hasMessageContaining("3 texts");
    }

    @Test
    void embeddingsAreNeverStreamed() {
        StepVerifier.create(bridge(OpenAiFormat.OPENAI, GeminiFormat.GEMINI).events(Flux.empty()))
                .expectError(InvalidRequestException.class)
                .verify(Duration.ofSeconds(5));
    }
}
