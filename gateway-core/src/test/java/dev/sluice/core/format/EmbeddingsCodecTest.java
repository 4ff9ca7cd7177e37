package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.embeddings.EmbeddingsRequest;
import dev.sluice.core.format.embeddings.EmbeddingsResponse;
import dev.sluice.core.format.embeddings.Vectors;
import dev.sluice.core.format.gemini.GeminiEmbeddingsCodec;
import dev.sluice.core.format.openai.OpenAiEmbeddingsCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.Fixtures.at;
import static dev.sluice.core.format.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI and Gemini embeddings codecs, each there and back again. */
public class EmbeddingsCodecTest {

    public static final float[] LIFE = {0.013168523f, -0.008711934f, -0.046782676f, 0.00069968984f};
    static final float[] BRAIN = {-0.0062491377f, 0.027066018f, -0.03345283f, 0.011946916f};

    private final OpenAiEmbeddingsCodec openAi = new OpenAiEmbeddingsCodec();
    private final GeminiEmbeddingsCodec gemini = new GeminiEmbeddingsCodec();

    public static RequestBody openAiBody(String json) {
        return RequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Gemini body with the model its URL named. Gemini bodies need not name one, and RequestBody insists on a model:
     * until it can be given apart from the body, the model is put in as Gemini's own optional {@code model} field.
     */
    /** A Gemini body as the route builds it: the model comes from the URL. */
    public static RequestBody geminiBody(byte[] json, String model) {
        return RequestBody.parse(json, model, false);
    }

    @Test
    void decodesOpenAiInputsAndHowTheCallerWantsThemBack() {
        EmbeddingsRequest one = openAi.decodeRequest(openAiBody("{\"model\":\"m\",\"input\":\"hi\"}"));
        EmbeddingsRequest many = openAi.decodeRequest(openAiBody(
                "{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"dimensions\":256,\"encoding_format\":\"base64\",\"user\":\"u\"}"));

        assertThat(one).isEqualTo(new EmbeddingsRequest("m", List.of("hi"), null, true, EmbeddingsRequest.Encoding.FLOAT));
        assertThat(many).isEqualTo(new EmbeddingsRequest("m", List.of("a", "b"), 256, false, EmbeddingsRequest.Encoding.BASE64));
        assertThat(openAi.decodeRequest(RequestBody.parse(openAi.encodeRequest(many.withModel("other")))))
                .as("a provider is asked for floats, whatever the caller wants back")
                .isEqualTo(new EmbeddingsRequest("other", List.of("a", "b"), 256, false, EmbeddingsRequest.Encoding.FLOAT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":[1,2,3]}|input",
            "{\"model\":\"m\",\"input\":[[1,2],[3]]}|input",
            "{\"model\":\"m\",\"input\":[]}|input",
            "{\"model\":\"m\"}|input",
            "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}|encoding_format",
            "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}|dimensions",
    })
    void refusesOpenAiRequestsThatCannotBeTranslated(String request, String field) {
        assertThatThrownBy(() -> openAi.decodeRequest(openAiBody(request)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(field));
    }

    @Test
    void readsOpenAiVectorsInIndexOrderAndWritesThemBack() {
        EmbeddingsResponse response = openAi.decodeResponse(Fixtures.bytes("openai/embeddings-response.json"));
        EmbeddingsRequest asked = new EmbeddingsRequest("m", List.of("a", "b"), null, false, EmbeddingsRequest.Encoding.FLOAT);

        assertThat(response.model()).isEqualTo("text-embedding-3-small");
        assertThat(response.inputTokens()).isEqualTo(8);
        assertThat(response.vectors().get(0)).containsExactly(-0.006929283495992422f, -0.005336422007530928f, 0.00047350498f, 1f);
        assertThat(response.vectors().get(1)).containsExactly(0.0023064255f, -0.009327292f, 0.015797347f, -0.0077780345f);
        byte[] encoded = openAi.encodeResponse(response, asked);
        EmbeddingsResponse again = openAi.decodeResponse(encoded);
        assertThat(again.vectors()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(response.vectors());
        assertThat(json(encoded)).containsEntry("object", "list").containsEntry("model", "text-embedding-3-small")
                .containsEntry("usage", Map.of("prompt_tokens", 8L, "total_tokens", 8L));
        assertThat((Map<String, Object>) at(json(encoded), "data", 1)).containsEntry("object", "embedding").containsEntry("index", 1L);
    }

    @Test
    void base64IsLittleEndianFloat32() {
        EmbeddingsResponse response = new EmbeddingsResponse("m", List.of(new float[] {1.0f, -2.5f}), 3);
        EmbeddingsRequest asked = new EmbeddingsRequest("m", List.of("a"), null, true, EmbeddingsRequest.Encoding.BASE64);

        byte[] encoded = openAi.encodeResponse(response, asked);

        String base64 = at(json(encoded), "data", 0, "embedding");
        // 1.0f is 0x3F800000 and -2.5f 0xC0200000, least significant byte first.
        assertThat(Base64.getDecoder().decode(base64)).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0);
        assertThat(openAi.decodeResponse(encoded).vectors().getFirst()).containsExactly(1.0f, -2.5f);
        assertThat(Vectors.fromBase64(Vectors.toBase64(LIFE))).containsExactly(LIFE);
    }

    @Test
    void decodesGeminiEmbedContentAsOneText() {
        EmbeddingsRequest request = gemini.decodeRequest(geminiBody(Fixtures.bytes("gemini/embed-content-request.json"),
                "text-embedding-004"));

        assertThat(request).isEqualTo(new EmbeddingsRequest("text-embedding-004", List.of("What is the meaning of life?"), 4,
                true, EmbeddingsRequest.Encoding.FLOAT));
    }

    @Test
    void decodesGeminiBatchEmbedContentsAsAList() {
        EmbeddingsRequest request = gemini.decodeRequest(geminiBody(Fixtures.bytes("gemini/batch-embed-contents-request.json"),
                "text-embedding-004"));

        assertThat(request).isEqualTo(new EmbeddingsRequest("text-embedding-004",
                List.of("What is the meaning of life?", "How does the brain work?"), 4, false, EmbeddingsRequest.Encoding.FLOAT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AA==\"}}]}}|content.parts[0]",
            "{\"content\":{\"parts\":[{\"text\":\"a\"},{\"text\":\"b\"}]}}|content.parts",
            "{\"requests\":[]}|requests",
            "{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":8},{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}|requests[1].outputDimensionality",
    })
    void refusesGeminiRequestsThatCannotBeTranslated(String request, String field) {
        assertThatThrownBy(() -> gemini.decodeRequest(geminiBody(request.getBytes(StandardCharsets.UTF_8), "e")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(field));
    }

    @Test
    void geminiRequestsGoOutAsABatchNamingTheModel() {
        Map<String, Object> body = json(gemini.encodeRequest(new EmbeddingsRequest("text-embedding-004", List.of("a", "b"), 4,
                false, EmbeddingsRequest.Encoding.BASE64)));

        assertThat(body).isEqualTo(Map.of("requests", List.of(
                Map.of("model", "models/text-embedding-004", "content", Map.of("parts", List.of(Map.of("text", "a"))),
                        "outputDimensionality", 4L),
                Map.of("model", "models/text-embedding-004", "content", Map.of("parts", List.of(Map.of("text", "b"))),
                        "outputDimensionality", 4L))));
    }

    @Test
    void geminiAnswersTakeTheShapeOfTheRequest() {
        EmbeddingsResponse one = gemini.decodeResponse(Fixtures.bytes("gemini/embed-content-response.json"));
        EmbeddingsResponse two = gemini.decodeResponse(Fixtures.bytes("gemini/batch-embed-contents-response.json"));

        assertThat(one.vectors()).singleElement().satisfies(vector -> assertThat(vector).containsExactly(LIFE));
        assertThat(two.vectors()).hasSize(2);
        assertThat(two.vectors().get(1)).containsExactly(BRAIN);
        assertThat(one.model()).isNull();
        assertThat(json(gemini.encodeResponse(one, new EmbeddingsRequest("e", List.of("x"), null, true, null))))
                .containsOnlyKeys("embedding");
        Map<String, Object> batch = json(gemini.encodeResponse(two, new EmbeddingsRequest("e", List.of("x", "y"), null, false, null)));
        assertThat(batch).containsOnlyKeys("embeddings");
        assertThat(gemini.decodeResponse(gemini.encodeResponse(two, new EmbeddingsRequest("e", List.of("x", "y"), null, false, null)))
                .vectors()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(two.vectors());
    }

    @Test
    void aMalformedProviderAnswerIsTheProvidersFault() {
        assertThatThrownBy(() -> gemini.decodeResponse("{\"embeddings\":[{\"values\":[\"x\"]}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableAnswerException.class);
        assertThatThrownBy(() -> openAi.decodeResponse("{\"data\":[{\"index\":0}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableAnswerException.class);
    }
}
