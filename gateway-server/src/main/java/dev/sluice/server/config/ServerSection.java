package dev.sluice.server.config;

import java.time.Duration;
import java.util.List;

/** Reads the {@code server:} section; every key is optional. */
final class ServerSection {

    static final String NAME = "server";
    private static final List<String> KEYS = List.of("access_log", "cors", "host", "max_body_bytes", "port", "shutdown_grace_seconds");

    private ServerSection() {
    }

    static ServerSettings read(ConfigNode root) {
        return root.map(NAME).map(ServerSection::read0).orElseGet(ServerSettings::defaults);
    }

    private static ServerSettings read0(ConfigNode server) {
        server.requireOnly(KEYS);
        String host = server.string("host").orElse(ServerSettings.DEFAULT_HOST);
        int port = server.integer("port", ServerSettings.DEFAULT_PORT);
        long maxBodyBytes = server.longInteger("max_body_bytes", ServerSettings.DEFAULT_MAX_BODY_BYTES);
        boolean accessLog = server.bool("access_log", true);
        Duration grace = Durations.seconds(server, "shutdown_grace_seconds", true).orElse(ServerSettings.DEFAULT_SHUTDOWN_GRACE);
        List<String> origins = server.map("cors").map(ServerSection::allowedOrigins).orElse(List.of());
        return server.validated(() -> new ServerSettings(host, port, maxBodyBytes, accessLog, grace, origins));
    }

    private static List<String> allowedOrigins(ConfigNode cors) {
        cors.requireOnly(List.of("allowed_origins"));
        return cors.strings("allowed_origins");
    }
}
