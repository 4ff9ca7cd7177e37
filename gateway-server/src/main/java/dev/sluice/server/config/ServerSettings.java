package dev.sluice.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} section.
 *
 * @param host                  the address to bind
 * @param port                  the port to bind; 0 picks a free one
 * @param maxBodyBytes          request bodies larger than this are refused with 413
 * @param accessLog             whether each request is logged as one JSON line on standard output
 * @param shutdownGrace         on shutdown, how long requests and streams under way may take to finish
 * @param maxInflightBodyBytes  the most bytes of request bodies held in memory at once, across all requests; a body that
 *                              would go over is refused with 503 and {@code Retry-After}
 * @param readTimeout           how long a request body may take to arrive whole (408 after)
 * @param uploadTimeout         the same for the body of a file upload ({@code POST /v1/files}), which may be far larger
 * @param idleTimeout           how long a kept-alive connection may wait for its next request before it is closed
 * @param requestHeaderTimeout  how long a request's headers may take to arrive whole, from their first byte, before the
 *                              connection is closed
 * @param corsAllowedOrigins    the web page origins whose requests are served ({@code *} for any); others are refused
 * @param http2                 whether HTTP/2 is served besides HTTP/1.1: by ALPN over TLS, in clear text (h2c) without;
 *                              empty for the default, on with TLS and off without
 * @param tls                   how HTTPS is served; empty for clear text
 */
public record ServerSettings(String host, int port, long maxBodyBytes, boolean accessLog, Duration shutdownGrace,
                             long maxInflightBodyBytes, Duration readTimeout, Duration uploadTimeout, Duration idleTimeout,
                             Duration requestHeaderTimeout, List<String> corsAllowedOrigins, Optional<Boolean> http2,
                             Optional<TlsSettings> tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 50L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_UPLOAD_TIMEOUT = Duration.ofSeconds(600);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(20);

    /**
     * An eighth of the heap: a body is parsed, copied and, translated, rebuilt on its way upstream, and its answer comes
     * back the same way, so a request in flight holds several times its body's bytes.
     */
    public static long defaultMaxInflightBodyBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 8);
    }

    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server.host: \"" + host + "\" (expected: an address such as 127.0.0.1 or 0.0.0.0)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server.port: " + port + " (expected: 0 to 65535)");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("server.max_body_bytes: " + maxBodyBytes + " (expected: > 0)");
        }
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("server.shutdown_grace_seconds: " + shutdownGrace + " (expected: >= 0)");
        }
        if (maxInflightBodyBytes <= 0) {
            throw new IllegalArgumentException("server.max_inflight_body_bytes: " + maxInflightBodyBytes + " (expected: > 0)");
        }
        positive(readTimeout, "read_timeout_seconds");
        positive(uploadTimeout, "upload_timeout_seconds");
        positive(idleTimeout, "idle_timeout_seconds");
        positive(requestHeaderTimeout, "request_header_timeout_seconds");
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        for (String origin : corsAllowedOrigins) {
            if (!origin.equals("*") && !origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]+")) {
                throw new IllegalArgumentException("server.cors.allowed_origins: \"" + origin
                        + "\" (expected: an origin such as https://app.example or http://localhost:3000, without a path; or *)");
            }
        }
        Objects.requireNonNull(http2, "http2");
        Objects.requireNonNull(tls, "tls");
    }

    private static void positive(Duration timeout, String key) {
        if (timeout == null || !timeout.isPositive()) {
            throw new IllegalArgumentException("server." + key + ": " + timeout + " (expected: > 0)");
        }
    }

    /** Clear-text HTTP/1.1 with the default bounds and timeouts, serving no web page origin. */
    public ServerSettings(String host, int port, long maxBodyBytes, boolean accessLog, Duration shutdownGrace) {
        this(host, port, maxBodyBytes, accessLog, shutdownGrace, defaultMaxInflightBodyBytes(), DEFAULT_READ_TIMEOUT,
                DEFAULT_UPLOAD_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_HEADER_TIMEOUT, List.of(), Optional.empty(), Optional.empty());
    }

    /** Settings with the access log on and the default shutdown grace, bounds and timeouts. */
    public ServerSettings(String host, int port, long maxBodyBytes) {
        this(host, port, maxBodyBytes, true, DEFAULT_SHUTDOWN_GRACE);
    }

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, maxBodyBytes, accessLog, shutdownGrace, maxInflightBodyBytes, readTimeout,
                uploadTimeout, idleTimeout, requestHeaderTimeout, corsAllowedOrigins, http2, tls);
    }

    public ServerSettings withShutdownGrace(Duration grace) {
        return new ServerSettings(host, port, maxBodyBytes, accessLog, grace, maxInflightBodyBytes, readTimeout, uploadTimeout,
                idleTimeout, requestHeaderTimeout, corsAllowedOrigins, http2, tls);
    }

    public ServerSettings withMaxInflightBodyBytes(long bytes) {
        return new ServerSettings(host, port, maxBodyBytes, accessLog, shutdownGrace, bytes, readTimeout, uploadTimeout,
                idleTimeout, requestHeaderTimeout, corsAllowedOrigins, http2, tls);
    }

    /** The same settings with these read, upload, idle and request-header timeouts. */
    public ServerSettings withTimeouts(Duration read, Duration upload, Duration idle, Duration requestHeader) {
        return new ServerSettings(host, port, maxBodyBytes, accessLog, shutdownGrace, maxInflightBodyBytes, read, upload, idle,
                requestHeader, corsAllowedOrigins, http2, tls);
    }

    public ServerSettings withCorsAllowedOrigins(List<String> origins) {
        return new ServerSettings(host, port, maxBodyBytes, accessLog, shutdownGrace, maxInflightBodyBytes, readTimeout,
                uploadTimeout, idleTimeout, requestHeaderTimeout, origins, http2, tls);
    }
}
