package dev.sluice.providers.http;

import dev.sluice.core.provider.UpstreamConnections.HttpVersion;
import reactor.netty.http.HttpProtocol;

import java.util.Arrays;
import java.util.Locale;

/** The HTTP versions a provider's client offers, from its configured version and whether its URL is TLS. */
final class UpstreamProtocols {

    private UpstreamProtocols() {
    }

    static HttpProtocol[] of(HttpVersion version, String baseUrl) {
        boolean tls = baseUrl != null && baseUrl.toLowerCase(Locale.ROOT).startsWith("https:");
        return switch (version) {
            // ALPN lets the provider pick: HTTP/2 where it speaks it, HTTP/1.1 where it does not.
            case AUTO, H2 -> tls ? new HttpProtocol[] {HttpProtocol.H2, HttpProtocol.HTTP11} : new HttpProtocol[] {HttpProtocol.HTTP11};
            case HTTP_1_1 -> new HttpProtocol[] {HttpProtocol.HTTP11};
            // Prior knowledge: no upgrade round trip, and no HTTP/1.1 to fall back to.
            case H2C -> new HttpProtocol[] {HttpProtocol.H2C};
        };
    }

    /** Whether calls may share connections as HTTP/2 streams. */
    static boolean multiplexes(HttpProtocol[] protocols) {
        return Arrays.stream(protocols).anyMatch(protocol -> protocol == HttpProtocol.H2 || protocol == HttpProtocol.H2C);
    }

    /** Whether HTTP/2 is negotiated with ALPN, which needs a TLS context that offers it. */
    static boolean negotiatesOverTls(HttpProtocol[] protocols) {
        return Arrays.asList(protocols).contains(HttpProtocol.H2);
    }
}
