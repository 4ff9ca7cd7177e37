package dev.sluice.server;

import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.SluiceConfig;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar sluice.jar [--config FILE]}: loads the configuration, serves, and stops on SIGTERM. */
public final class SluiceMain {

    private SluiceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SluiceConfig config;
        try {
            ConfigLoader loader = new ConfigLoader(System.getenv(), ProviderFactories.load(SluiceMain.class.getClassLoader()));
            Optional<Path> file = ConfigLoader.configPath(args, System.getenv());
            config = file.isPresent() ? loader.load(file.get()) : loader.defaults();
        } catch (IllegalArgumentException e) {
            System.err.println("sluice: " + e.getMessage());
            System.exit(2);
            return;
        }
        SluiceServer server;
        try {
            server = Objects.requireNonNull(SluiceServer.start(config).block(), "the server did not start");
        } catch (RuntimeException e) {
            System.err.println("sluice: cannot start on " + config.server().host() + ":" + config.server().port() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        System.out.println("sluice listening on " + server.baseUrl());
        System.out.flush();
        stopped.await();
    }
}
