package dev.sluice.core.provider;

import java.time.Duration;
import java.util.Locale;

/**
 * How this gateway holds connections to one provider: the HTTP version it speaks, how many connections (and HTTP/2
 * streams on each) it opens, and how long, and how many, calls may wait for room when all are busy. A call that
 * finds no room in time is refused at once with a 503 {@code upstream_busy}, never queued without bound.
 *
 * @param version                 the HTTP version spoken to the provider
 * @param maxConnections          connections open at once, {@code > 0}
 * @param maxStreamsPerConnection HTTP/2 streams on one connection, {@code > 0}; the provider's own limit, when lower,
 *                                wins, and more connections are opened once every connection is full
 * @param maxPending              calls that may wait for room at once, {@code >= 0}; more are refused at once
 * @param acquireTimeout          how long a call may wait for room, {@code >= 0}
 */
public record UpstreamConnections(HttpVersion version, int maxConnections, int maxStreamsPerConnection, int maxPending,
                                  Duration acquireTimeout) {

    /**
     * Enough for tens of thousands of HTTP/1.1 streams (one connection each); an idle pool holds none of them, and an
     * HTTP/2 pool opens only as many as its streams need.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 32_768;
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 100;
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

    public static final UpstreamConnections DEFAULTS = new UpstreamConnections(HttpVersion.AUTO, DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_STREAMS_PER_CONNECTION, DEFAULT_MAX_CONNECTIONS, DEFAULT_ACQUIRE_TIMEOUT);

    public UpstreamConnections {
        if (version == null) {
            throw new IllegalArgumentException("http_version: null (expected: one of auto, http1.1, h2, h2c)");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("max_connections: " + maxConnections + " (expected: > 0)");
        }
        if (maxStreamsPerConnection <= 0) {
            throw new IllegalArgumentException("max_streams_per_connection: " + maxStreamsPerConnection + " (expected: > 0)");
        }
        if (maxPending < 0) {
            throw new IllegalArgumentException("max_pending: " + maxPending + " (expected: >= 0)");
        }
        if (acquireTimeout == null || acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquire_timeout: " + acquireTimeout + " (expected: >= 0)");
        }
    }

    public UpstreamConnections withMaxConnections(int newMaxConnections) {
        return new UpstreamConnections(version, newMaxConnections, maxStreamsPerConnection, maxPending, acquireTimeout);
    }

    /** The HTTP version spoken to a provider. */
    public enum HttpVersion {
        /** HTTP/2 where TLS negotiates it (ALPN), else HTTP/1.1: what the major providers offer. */
        AUTO("auto"),
        /** HTTP/1.1 only, one call per connection at a time. */
        HTTP_1_1("http1.1"),
        /** HTTP/2 over TLS (ALPN), HTTP/1.1 only if the provider refuses it. */
        H2("h2"),
        /** HTTP/2 in clear text with prior knowledge, for a provider on a trusted network (and for tests). */
        H2C("h2c");

        private final String wire;

        HttpVersion(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static HttpVersion of(String wire) {
            for (HttpVersion version : values()) {
                if (version.wire.equals(wire.toLowerCase(Locale.ROOT))) {
                    return version;
                }
            }
            throw new IllegalArgumentException("http_version: " + wire + " (expected: one of auto, http1.1, h2, h2c)");
        }
    }
}
