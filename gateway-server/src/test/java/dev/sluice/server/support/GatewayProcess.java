package dev.sluice.server.support;

import dev.sluice.server.SluiceMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a JVM of its own ({@code java -cp <the test class path> SluiceMain --config FILE}), as an operator
 * runs it: its standard output is kept line by line, and it can be stopped or killed like a crashed instance.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("sluice listening on (http://\\S+)");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> baseUrl = new CompletableFuture<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("gateway-process-stdout").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    stdout.add(line);
                    Matcher listening = LISTENING.matcher(line);
                    if (listening.find()) {
                        baseUrl.complete(listening.group(1));
                    }
                }
            } catch (IOException e) {
                // The process was killed: its output ends here.
            } finally {
                baseUrl.completeExceptionally(new IllegalStateException("the gateway process ended before it listened"));
            }
        });
    }

    /** Starts a gateway with this configuration file; its standard error goes to {@code stderr}. */
    public static GatewayProcess start(Path config, Path stderr) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, SluiceMain.class.getName(), "--config", config.toString()));
        try {
            return new GatewayProcess(new ProcessBuilder(command).redirectError(stderr.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the gateway listens. */
    public GatewayProcess awaitListening(Duration limit) {
        try {
            baseUrl.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("gateway process did not start listening within " + limit + "; output: " + stdout, e);
        }
    }

    public String url(String path) {
        return baseUrl.join() + path;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Uploads JSONL content as a {@code batch} file, multipart by hand. */
    public HttpResponse<String> uploadBatchFile(String content) {
        String boundary = "sluice-process-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return send(HttpRequest.newBuilder(URI.create(url("/v1/files")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
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

    /** What it has printed on standard output so far, line by line. */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** Kills it at once (SIGKILL): no shutdown hook runs, so its leases are not handed back. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops it as an orchestrator does (SIGTERM): it hands its work back and flushes its log. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
