package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.sluice.server.support.RunningGateway;
import dev.sluice.server.support.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static dev.sluice.server.support.RunningGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Files API over real HTTP, with the official SDK as the client, on H2 and on PostgreSQL. */
class FilesApiTest {

    static final String KEY_A = "sk-bf-team-a-0001";
    static final String KEY_B = "sk-bf-limited-0002";

    static String config(String storeUrl, long maxBytes) {
        return AsyncJobsTest.config(storeUrl) + "files: {max_bytes: " + maxBytes + "}\n";
    }

    private static void withGateway(StoreKind kind, long maxBytes, Consumer<RunningGateway> test) {
        try (StoreKind.Database database = kind.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), maxBytes))) {
            test.accept(gateway);
        }
    }

    /** A file part with its name, as the SDK sends it. */
    static MultipartField<InputStream> named(String filename, byte[] content) {
        return MultipartField.<InputStream>builder().value(new ByteArrayInputStream(content)).filename(filename).build();
    }

    static OpenAIClient client(RunningGateway gateway, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey(key).maxRetries(0).build();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void uploadsRetrievesListsDownloadsAndDeletesWithTheSdk(StoreKind kind) {
        withGateway(kind, 10_000_000, gateway -> {
            OpenAIClient client = client(gateway, KEY_A);
            byte[] content = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"é\"}\n".getBytes(StandardCharsets.UTF_8);

            FileObject file = client.files().create(FileCreateParams.builder()
                    .file(FilesApiTest.named("requests.jsonl", content)).purpose(FilePurpose.BATCH).build());

            assertThat(file.id()).startsWith("file-");
            assertThat(file.bytes()).isEqualTo(content.length);
            assertThat(file.filename()).isEqualTo("requests.jsonl");
            assertThat(file.expiresAt()).hasValueSatisfying(expiry -> assertThat(expiry - file.createdAt()).isEqualTo(30L * 24 * 3600));
            assertThat(client.files().retrieve(file.id()).id()).isEqualTo(file.id());
            assertThat(client.files().list().data()).extracting(FileObject::id).containsExactly(file.id());
            try (HttpResponse download = client.files().content(file.id())) {
                assertThat(read(download.body())).isEqualTo(content);
                assertThat(download.headers().values("Content-Disposition").getFirst()).contains("requests.jsonl");
            }

            assertThat(client.files().delete(file.id()).deleted()).isTrue();
            assertThatThrownBy(() -> client.files().retrieve(file.id())).isInstanceOf(NotFoundException.class);
            client.close();
        });
    }

    @Test
    void aFileObjectHasExactlyTheDocumentedFields() {
        withGateway(StoreKind.H2, 10_000, gateway -> {
            JsonNode file = json(upload(gateway, "x.jsonl", "user_data", "hello", KEY_A).body());

            assertThat(file.properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactlyInAnyOrder("id", "object", "bytes", "created_at", "filename", "purpose", "expires_at");
            assertThat(file.path("expires_at").isNull()).isTrue();
        });
    }

    @Test
    void refusesAnUploadOverTheLimitWith413AndKeepsNothing() {
        withGateway(StoreKind.H2, 1000, gateway -> {
            java.net.http.HttpResponse<String> refused = upload(gateway, "big.jsonl", "batch", "x".repeat(5000), KEY_A);

            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(json(refused.body()).at("/error/message").asText()).contains("larger than the limit of 1000 bytes");
            assertThat(json(gateway.send(gateway.request("/v1/files", "x-bf-vk", KEY_A).GET()).body()).path("data")).isEmpty();
        });
    }

    @Test
    void refusesUploadsWithoutAFileOrAPurpose() {
        withGateway(StoreKind.H2, 10_000, gateway -> {
            assertThat(json(upload(gateway, null, "batch", null, KEY_A).body()).at("/error/message").asText()).contains("'file'");
            assertThat(json(upload(gateway, "x.jsonl", null, "x", KEY_A).body()).at("/error/message").asText()).contains("'purpose'");
            assertThat(json(upload(gateway, "x.jsonl", "homework", "x", KEY_A).body()).at("/error/message").asText()).contains("purpose");
            assertThat(gateway.post("/v1/files", "{}").statusCode()).isEqualTo(400);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void filesBelongToTheKeyThatUploadedThem(StoreKind kind) {
        withGateway(kind, 10_000, gateway -> {
            String mine = json(upload(gateway, "a.jsonl", "batch", "a", KEY_A).body()).path("id").asText();
            String anonymous = json(upload(gateway, "n.jsonl", "batch", "n", null).body()).path("id").asText();

            assertThat(gateway.send(gateway.request("/v1/files/" + mine, "x-bf-vk", KEY_B).GET()).statusCode()).isEqualTo(404);
            assertThat(gateway.get("/v1/files/" + mine).statusCode()).isEqualTo(404);
            assertThat(gateway.send(gateway.request("/v1/files/" + mine + "/content", "x-bf-vk", KEY_B).GET()).statusCode()).isEqualTo(404);
            assertThat(gateway.send(gateway.request("/v1/files/" + mine, "x-bf-vk", KEY_B).DELETE()).statusCode()).isEqualTo(404);
            assertThat(gateway.get("/v1/files/" + anonymous).statusCode()).isEqualTo(200);
            assertThat(json(gateway.get("/v1/files").body()).path("data").findValuesAsText("id")).containsExactly(anonymous);
            assertThat(json(gateway.send(gateway.request("/v1/files", "Authorization", "Bearer " + KEY_A).GET()).body())
                    .path("data").findValuesAsText("id")).containsExactly(mine);
        });
    }

    @Test
    void listsPageByPageNewestFirst() {
        withGateway(StoreKind.H2, 10_000, gateway -> {
            for (int i = 0; i < 5; i++) {
                upload(gateway, "f" + i + ".jsonl", "user_data", "x", KEY_A);
            }
            JsonNode first = json(gateway.send(gateway.request("/v1/files?limit=2", "x-bf-vk", KEY_A).GET()).body());
            JsonNode next = json(gateway.send(gateway.request("/v1/files?limit=10&after=" + first.path("last_id").asText(), "x-bf-vk", KEY_A)
                    .GET()).body());

            assertThat(first.path("data").findValuesAsText("filename")).containsExactly("f4.jsonl", "f3.jsonl");
            assertThat(first.path("has_more").asBoolean()).isTrue();
            assertThat(next.path("data").findValuesAsText("filename")).containsExactly("f2.jsonl", "f1.jsonl", "f0.jsonl");
            assertThat(next.path("has_more").asBoolean()).isFalse();
            assertThat(gateway.send(gateway.request("/v1/files?order=sideways", "x-bf-vk", KEY_A).GET()).statusCode()).isEqualTo(400);
        });
    }

    @Test
    void everyFilesAndBatchesRouteAnswersThePreflightOfAListedOrigin() {
        try (StoreKind.Database database = StoreKind.H2.create();
             RunningGateway gateway = RunningGateway.fromYaml(config(database.url(), 10_000)
                     .replace("server: {port: 0}", "server: {port: 0, cors: {allowed_origins: [\"https://app.example\"]}}"))) {
            for (String path : new String[] {"/v1/files", "/v1/files/file-x", "/v1/files/file-x/content", "/v1/batches",
                    "/v1/batches/batch_x", "/v1/batches/batch_x/cancel"}) {
                java.net.http.HttpResponse<String> preflight = gateway.send(gateway.request(path,
                        "Origin", "https://app.example", "Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
                assertThat(preflight.statusCode()).as(path).isEqualTo(204);
                assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(
                        headers -> assertThat(headers).contains("Authorization"));
                assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
            }
        }
    }

    /** A multipart upload by hand; a null filename or purpose leaves that part out. */
    static java.net.http.HttpResponse<String> upload(RunningGateway gateway, String filename, String purpose, String content, String key) {
        String boundary = "sluice-test-boundary";
        StringBuilder body = new StringBuilder();
        if (purpose != null) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n").append(purpose).append("\r\n");
        }
        if (filename != null) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(filename)
                    .append("\"\r\nContent-Type: application/jsonl\r\n\r\n").append(content).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        HttpRequest.Builder request = gateway.request("/v1/files", "Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (key != null) {
            request.header("x-bf-vk", key);
        }
        return gateway.send(request);
    }

    private static byte[] read(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
