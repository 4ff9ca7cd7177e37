package dev.sluice.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads the {@code server:} section; every key is optional. */
final class ServerSection {

    static final String NAME = "server";
    private static final List<String> KEYS = List.of("access_log", "cors", "host", "http2", "idle_timeout_seconds", "max_body_bytes",
            "max_inflight_body_bytes", "port", "read_timeout_seconds", "request_header_timeout_seconds", "shutdown_grace_seconds",
            "tls", "upload_timeout_seconds");
    private static final List<String> TLS_KEYS = List.of("cert_file", "key_file", "reload_seconds");

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
        long maxInflight = server.longInteger("max_inflight_body_bytes", ServerSettings.defaultMaxInflightBodyBytes());
        Duration read = Durations.seconds(server, "read_timeout_seconds", false).orElse(ServerSettings.DEFAULT_READ_TIMEOUT);
        Duration upload = Durations.seconds(server, "upload_timeout_seconds", false).orElse(ServerSettings.DEFAULT_UPLOAD_TIMEOUT);
        Duration idle = Durations.seconds(server, "idle_timeout_seconds", false).orElse(ServerSettings.DEFAULT_IDLE_TIMEOUT);
        Duration header = Durations.seconds(server, "request_header_timeout_seconds", false)
                .orElse(ServerSettings.DEFAULT_REQUEST_HEADER_TIMEOUT);
        List<String> origins = server.map("cors").map(ServerSection::allowedOrigins).orElse(List.of());
        Optional<Boolean> http2 = server.has("http2") ? Optional.of(server.bool("http2", false)) : Optional.empty();
        Optional<TlsSettings> tls = server.map("tls").map(ServerSection::tls);
        return server.validated(() -> new ServerSettings(host, port, maxBodyBytes, accessLog, grace, maxInflight, read, upload, idle,
                header, origins, http2, tls));
    }

    private static List<String> allowedOrigins(ConfigNode cors) {
        cors.requireOnly(List.of("allowed_origins"));
        return cors.strings("allowed_origins");
    }

    private static TlsSettings tls(ConfigNode tls) {
        tls.requireOnly(TLS_KEYS);
        Path certificate = tls.string("cert_file").map(Path::of)
                .orElseThrow(() -> tls.problem("cert_file", "missing (expected: the PEM certificate chain)"));
        Path key = tls.string("key_file").map(Path::of).orElseThrow(() -> tls.problem("key_file", "missing (expected: the PEM private key)"));
        Duration reload = Durations.seconds(tls, "reload_seconds", false).orElse(TlsSettings.DEFAULT_RELOAD_INTERVAL);
        return tls.validated(() -> new TlsSettings(certificate, key, reload));
    }
}
