package dev.sluice.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Gateway;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.observe.Observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real gateway server on a free port, with a plain JDK HTTP client to talk to it. */
public final class RunningGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SluiceServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningGateway(SluiceServer server) {
        this.server = server;
    }

    public static RunningGateway start(ProviderConfig... providers) {
        return start(1024 * 1024, List.of(providers));
    }

    public static RunningGateway start(long maxBodyBytes, List<ProviderConfig> providers) {
        Gateway.Builder builder = Gateway.builder();
        providers.forEach(builder::provider);
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, maxBodyBytes);
        return new RunningGateway(SluiceServer.start(settings, builder.build()).block(Duration.ofSeconds(10)));
    }

    /** A server in front of an engine the test built, with its shutdown grace. */
    public static RunningGateway serve(Gateway gateway, Duration shutdownGrace) {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, 1024 * 1024, true, shutdownGrace);
        return new RunningGateway(SluiceServer.start(settings, gateway).block(Duration.ofSeconds(10)));
    }

    /** The server itself, to close it in the middle of a test. */
    public SluiceServer server() {
        return server;
    }

    /** A server configured the way an operator would, from YAML text (no environment variables). */
    public static RunningGateway fromYaml(String yaml, Clock clock) {
        SluiceConfig config = new ConfigLoader(Map.of(), ProviderFactories.load(RunningGateway.class.getClassLoader()))
                .parse(yaml, "test.yaml");
        return new RunningGateway(SluiceServer.start(config, clock).block(Duration.ofSeconds(30)));
    }

    /** As {@link #fromYaml(String, Clock)}, reporting to the given registry and access log. */
    public static RunningGateway fromYaml(String yaml, Observability observability) {
        SluiceConfig config = new ConfigLoader(Map.of(), ProviderFactories.load(RunningGateway.class.getClassLoader()))
                .parse(yaml, "test.yaml");
        return new RunningGateway(SluiceServer.start(config, Clock.systemUTC(), observability).block(Duration.ofSeconds(30)));
    }

    public static RunningGateway fromYaml(String yaml) {
        return fromYaml(yaml, Clock.systemUTC());
    }

    public static ProviderConfig mock(String name) {
        return ProviderConfig.builder(name, "mock").models(List.of("echo", "embed")).build();
    }

    public String url(String path) {
        return server.baseUrl() + path;
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    /** A request to {@code path} with the given headers, name then value. */
    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** A chat completion to {@code model} sent with the given headers. */
    public HttpResponse<String> chat(String model, String text, String... headers) {
        return send(request("/v1/chat/completions", headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + text + "\"}]}")));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The engine behind the server, to look at its store in assertions. */
    public Gateway gateway() {
        return server.gateway();
    }

    /** A POST of a JSON body with the given headers. */
    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpClient client() {
        return client;
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
