package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.server.support.RunningGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/** /v1/embeddings served by a Gemini provider, translated both ways, with the openai-java SDK as the client. */
class OpenAiEmbeddingsToGeminiTest {

    private static final String BATCH = """
            {"embeddings":[{"values":[0.013168523,-0.008711934,-0.046782676,0.00069968984]},\
            {"values":[-0.0062491377,0.027066018,-0.03345283,0.011946916]}]}""";

    private MockWebServer gemini;
    private RunningGateway gateway;
    private OpenAIClient client;

    @BeforeEach
    void start() throws IOException {
        gemini = new MockWebServer();
        gemini.start();
        gateway = RunningGateway.start(ProviderConfig.builder("gemini", "gemini").baseUrl(gemini.url("/v1beta").toString())
                .key(ProviderKey.of("main", "goog-test")).build());
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").maxRetries(0)
                .responseValidation(true).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        gateway.close();
        gemini.shutdown();
    }

    @Test
    void sdkEmbeddingsAreServedByGeminiBatchEmbedContents() throws InterruptedException {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(BATCH));

        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("gemini/text-embedding-004").inputOfArrayOfStrings(List.of("life", "brain")).dimensions(4).build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).embedding()).containsExactly(0.013168523f, -0.008711934f, -0.046782676f, 0.00069968984f);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().get(1).embedding()).containsExactly(-0.0062491377f, 0.027066018f, -0.03345283f, 0.011946916f);
        assertThat(response.model()).isEqualTo("text-embedding-004");
        RecordedRequest sent = gemini.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(sent.getHeader("x-goog-api-key")).isEqualTo("goog-test");
        JsonNode body = json(sent.getBody().readUtf8());
        assertThat(body.path("requests")).hasSize(2);
        assertThat(body.at("/requests/0/model").asText()).isEqualTo("models/text-embedding-004");
        assertThat(body.at("/requests/1/content/parts/0/text").asText()).isEqualTo("brain");
        assertThat(body.at("/requests/0/outputDimensionality").asInt()).isEqualTo(4);
        assertThat(body.has("input")).isFalse();
    }

    @Test
    void base64IsAnsweredAsLittleEndianFloat32() {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"embeddings\":[{\"values\":[1.0,-2.5,0.25]}]}"));

        HttpResponse<String> answer = gateway.post("/v1/embeddings",
                "{\"model\":\"gemini/text-embedding-004\",\"input\":\"x\",\"encoding_format\":\"base64\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        byte[] packed = Base64.getDecoder().decode(json(answer.body()).at("/data/0/embedding").asText());
        float[] vector = new float[packed.length / Float.BYTES];
        ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        assertThat(vector).containsExactly(1.0f, -2.5f, 0.25f);
    }

    @Test
    void sdkAskingForBase64GetsTheSameVectors() {
        gemini.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(BATCH));

        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("gemini/text-embedding-004").inputOfArrayOfStrings(List.of("life", "brain"))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

        assertThat(response.data().get(1).embedding()).containsExactly(-0.0062491377f, 0.027066018f, -0.03345283f, 0.011946916f);
    }

    @Test
    void tokenArraysAreRefusedNamingTheInput() {
        HttpResponse<String> refused = gateway.post("/v1/embeddings", "{\"model\":\"gemini/text-embedding-004\",\"input\":[[1,2,3]]}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).at("/error/param").asText()).isEqualTo("input");
        assertThat(gemini.getRequestCount()).isZero();
    }
}
