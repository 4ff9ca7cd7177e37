package dev.sluice.benchmarks.gatling;

import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the simulations aim at and for how long, from system properties:
 * <ul>
 *   <li>{@code sluice.url}: a running gateway (e.g. {@code http://127.0.0.1:8080}); when absent, a gateway is
 *   started in this JVM on a free port, with a zero-latency {@code mock} provider and a fresh H2 store, so that a
 *   smoke run needs nothing else (its figures then include the gateway sharing Gatling's JVM).</li>
 *   <li>{@code sluice.model}: the chat model (default {@code demo/echo}), {@code sluice.embedModel} (default
 *   {@code demo/embed}).</li>
 *   <li>{@code duration.seconds} (default 30), {@code rate} (arrivals per second, default 50).</li>
 * </ul>
 */
final class Target {

    private static SluiceServer embedded;

    private Target() {
    }

    static synchronized String baseUrl() {
        String url = System.getProperty("sluice.url");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (embedded == null) {
            embedded = startEmbedded();
        }
        return embedded.baseUrl();
    }

    static String model() {
        return System.getProperty("sluice.model", "demo/echo");
    }

    static String embedModel() {
        return System.getProperty("sluice.embedModel", "demo/embed");
    }

    static Duration duration() {
        return Duration.ofMillis((long) (Double.parseDouble(System.getProperty("duration.seconds", "30")) * 1000));
    }

    static double rate() {
        return Double.parseDouble(System.getProperty("rate", "50"));
    }

    /** Stops the embedded gateway, if one was started; for the simulations' {@code after()}. */
    static synchronized void stop() {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    private static SluiceServer startEmbedded() {
        Path data;
        try {
            data = Files.createTempDirectory("sluice-gatling");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String yaml = """
                server: {host: 127.0.0.1, port: 0}
                providers:
                  demo: {type: mock, models: [echo, embed]}
                store: {url: "r2dbc:h2:file:///%s"}
                """.formatted(data.toAbsolutePath().resolve("sluice").toString().replace('\\', '/'));
        ConfigLoader loader = new ConfigLoader(Map.of(), ProviderFactories.load(Target.class.getClassLoader()));
        SluiceServer server = SluiceServer.start(loader.parse(yaml, "gatling")).block(Duration.ofSeconds(60));
        System.out.println("gatling: embedded gateway on " + server.baseUrl());
        return server;
    }
}
