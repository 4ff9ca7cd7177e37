package dev.sluice.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code server.tls:} section: the server answers HTTPS, offering HTTP/2 and HTTP/1.1 by ALPN.
 *
 * @param certificateFile the certificate chain, PEM, leaf first
 * @param keyFile         its private key, PEM (PKCS#8)
 * @param reloadInterval  how often the files are looked at; changed files are loaded for new connections
 */
public record TlsSettings(Path certificateFile, Path keyFile, Duration reloadInterval) {

    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public TlsSettings {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        if (reloadInterval == null || !reloadInterval.isPositive()) {
            throw new IllegalArgumentException("server.tls.reload_seconds: " + reloadInterval + " (expected: > 0)");
        }
    }
}
