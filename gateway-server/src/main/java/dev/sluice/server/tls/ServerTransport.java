package dev.sluice.server.tls;

import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.TlsSettings;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.SSLException;

/**
 * How the server speaks on its port: HTTPS offering HTTP/2 and HTTP/1.1 by ALPN when TLS is configured (HTTP/2 unless
 * turned off), else clear-text HTTP/1.1 and, when turned on, HTTP/2 with prior knowledge or by upgrade (h2c). Streams
 * are the same on every one: an SSE response over HTTP/2 is one stream of its connection.
 */
public final class ServerTransport implements Disposable {

    private final @Nullable ReloadingSslContext sslContext;
    private final Disposable watcher;
    /** The body of a request that asks to upgrade to h2c is read whole before the upgrade; larger ones are refused. */
    private static final int MAX_UPGRADE_BODY_BYTES = 64 * 1024;

    private final boolean http2;

    private ServerTransport(@Nullable ReloadingSslContext sslContext, Disposable watcher, boolean http2) {
        this.sslContext = sslContext;
        this.watcher = watcher;
        this.http2 = http2;
    }

    /** Reads the certificate files, if any (blocking): fails, naming them, when they do not load. */
    public static ServerTransport open(ServerSettings settings) throws SSLException {
        if (settings.tls().isEmpty()) {
            return new ServerTransport(null, () -> { }, settings.http2().orElse(false));
        }
        TlsSettings tls = settings.tls().get();
        ReloadingSslContext context = ReloadingSslContext.load(tls.certificateFile(), tls.keyFile());
        return new ServerTransport(context, new CertificateWatcher(context, tls.certificateFile(), tls.keyFile(), tls.reloadInterval()),
                settings.http2().orElse(true));
    }

    public HttpServer apply(HttpServer server) {
        if (sslContext != null) {
            return server.secure(spec -> spec.sslContext(sslContext))
                    .protocol(http2 ? new HttpProtocol[] {HttpProtocol.H2, HttpProtocol.HTTP11} : new HttpProtocol[] {HttpProtocol.HTTP11});
        }
        if (!http2) {
            return server.protocol(HttpProtocol.HTTP11);
        }
        return server.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .httpRequestDecoder(decoder -> decoder.h2cMaxContentLength(MAX_UPGRADE_BODY_BYTES));
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return sslContext != null ? "https" : "http";
    }

    @Override
    public void dispose() {
        watcher.dispose();
    }
}
