package dev.sluice.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sluice.server.support.Polling;
import dev.sluice.server.support.RunningGateway;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's transports (issue 27): HTTPS with HTTP/2 and HTTP/1.1 by ALPN from PEM files, reloaded when they change,
 * and HTTP/2 in clear text (h2c) beside HTTP/1.1; SSE streams over HTTP/2; the official SDK over TLS.
 */
class TlsAndHttp2Test {

    private static final String CHAT_STREAM = "{\"model\":\"demo/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"over two\"}]}";

    private static X509Bundle certificate(String name) throws Exception {
        return new CertificateBuilder().subject("CN=" + name).addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                .notBefore(Instant.now().minusSeconds(60)).notAfter(Instant.now().plusSeconds(3600))
                .ecp256().setIsCertificateAuthority(true).addExtendedKeyUsageServerAuth().buildSelfSigned();
    }

    private static void writePem(X509Bundle bundle, Path directory) throws Exception {
        // Written beside and moved in, as a certificate manager does, so that the gateway never reads half a file.
        Files.writeString(directory.resolve("key.tmp"), bundle.getPrivateKeyPEM());
        Files.writeString(directory.resolve("cert.tmp"), bundle.getCertificatePathPEM());
        Files.move(directory.resolve("key.tmp"), directory.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(directory.resolve("cert.tmp"), directory.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String tlsConfig(Path directory) {
        return """
                server: {port: 0, access_log: false, tls: {cert_file: "%s", key_file: "%s", reload_seconds: 1}}
                providers:
                  demo: {type: mock, models: [echo], chunk_gap_ms: 5}
                """.formatted(directory.resolve("cert.pem"), directory.resolve("key.pem"));
    }

    private static SSLContext trusting(X509Bundle... bundles) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trustManager(bundles)}, null);
        return context;
    }

    /** Trusts exactly these self-signed certificates. */
    private static X509TrustManager trustManager(X509Bundle... bundles) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < bundles.length; i++) {
            store.setCertificateEntry("ca-" + i, bundles[i].getCertificate());
        }
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    @Test
    void servesTheSdkOverTlsAndHttp2ByAlpn(@TempDir Path directory) throws Exception {
        X509Bundle certificate = certificate("sluice-test");
        writePem(certificate, directory);
        try (RunningGateway gateway = RunningGateway.fromYaml(tlsConfig(directory))) {
            assertThat(gateway.url("/health")).startsWith("https://");
            SSLContext tls = trusting(certificate);
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused")
                    .sslSocketFactory(tls.getSocketFactory()).trustManager(trustManager(certificate)).build();

            ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("demo/echo").addUserMessage("hello over tls").build());
            String streamed;
            try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                    .model("demo/echo").addUserMessage("stream over tls").build())) {
                streamed = chunks.stream().flatMap(chunk -> chunk.choices().stream())
                        .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
            }

            assertThat(answer.choices().getFirst().message().content()).hasValue("hello over tls");
            assertThat(streamed).isEqualTo("stream over tls");

            java.net.http.HttpClient http2 = java.net.http.HttpClient.newBuilder().sslContext(tls)
                    .version(java.net.http.HttpClient.Version.HTTP_2).build();
            HttpResponse<String> stream = http2.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT_STREAM)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stream.version()).as("ALPN chose HTTP/2").isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("\"content\":\"over\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void loadsARenewedCertificateForNewConnectionsWithoutARestart(@TempDir Path directory) throws Exception {
        X509Bundle first = certificate("first");
        X509Bundle renewed = certificate("renewed");
        writePem(first, directory);
        try (RunningGateway gateway = RunningGateway.fromYaml(tlsConfig(directory))) {
            SSLContext trustsBoth = trusting(first, renewed);
            assertThat(presented(trustsBoth, gateway.port())).isEqualTo("CN=first");

            writePem(renewed, directory);

            String after = Polling.until(() -> presented(trustsBoth, gateway.port()), name -> name.equals("CN=renewed"), Duration.ofSeconds(15));
            assertThat(after).isEqualTo("CN=renewed");
        }
    }

    @Test
    void refusesToStartWithCertificateFilesThatDoNotLoad(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("cert.pem"), "not a certificate");
        Files.writeString(directory.resolve("key.pem"), "not a key");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunningGateway.fromYaml(tlsConfig(directory)).close())
                .hasStackTraceContaining("cert.pem");
    }

    private static String presented(SSLContext context, int port) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void speaksOnlyHttp11InClearTextUnlessHttp2IsTurnedOn() throws Exception {
        try (RunningGateway gateway = RunningGateway.fromYaml("""
                server: {port: 0, access_log: false}
                providers:
                  demo: {type: mock, models: [echo]}
                """)) {
            HttpResponse<String> asked = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build()
                    .send(HttpRequest.newBuilder(URI.create(gateway.url("/health"))).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(asked.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(asked.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesHttp2InClearTextBesideHttp11() throws Exception {
        try (RunningGateway gateway = RunningGateway.fromYaml("""
                server: {port: 0, access_log: false, http2: true}
                providers:
                  demo: {type: mock, models: [echo], chunk_gap_ms: 5}
                """)) {
            // Prior knowledge, as gRPC-style clients and proxies speak it.
            String priorKnowledge = HttpClient.create().protocol(HttpProtocol.H2C).baseUrl(gateway.url(""))
                    .headers(headers -> headers.set("content-type", "application/json"))
                    .post().uri("/v1/chat/completions")
                    .send(Mono.fromSupplier(() -> io.netty.buffer.Unpooled.copiedBuffer(CHAT_STREAM, StandardCharsets.UTF_8)))
                    .responseSingle((response, body) -> body.asString().map(text -> response.version() + " " + response.status().code() + " " + text))
                    .block(Duration.ofSeconds(20));
            // Upgrade from HTTP/1.1, as the JDK's client asks for it.
            HttpResponse<String> upgraded = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build()
                    .send(HttpRequest.newBuilder(URI.create(gateway.url("/health"))).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plain = gateway.get("/health");

            assertThat(priorKnowledge).startsWith("HTTP/2.0 200 ").contains("\"content\":\"over\"").endsWith("data: [DONE]\n\n");
            assertThat(upgraded.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(upgraded.statusCode()).isEqualTo(200);
            assertThat(plain.statusCode()).isEqualTo(200);
        }
    }
}
