package dev.sluice.server.tls;

import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.TlsSettings;
import reactor.core.Disposable;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.SSLException;

/**
 * How the server speaks on its port: HTTPS offering HTTP/2 and HTTP/1.1 by ALPN when TLS is configured, else clear
 * text, HTTP/1.1 and (unless turned off) HTTP/2 with prior knowledge or upgrade (h2c). Streams are the same on every
 * one: an SSE response over HTTP/2 is one stream of its connection.
 */
public final class ServerTransport implements Disposable {

    private final ReloadingSslContext sslContext;
    private final Disposable watcher;
    private final boolean http2;

    private ServerTransport(ReloadingSslContext sslContext, Disposable watcher, boolean http2) {
        this.sslContext = sslContext;
        this.watcher = watcher;
        this.http2 = http2;
    }

    /** Reads the certificate files, if any (blocking): fails, naming them, when they do not load. */
    public static ServerTransport open(ServerSettings settings) throws SSLException {
        if (settings.tls().isEmpty()) {
            return new ServerTransport(null, () -> { }, settings.http2());
        }
        TlsSettings tls = settings.tls().get();
        ReloadingSslContext context = ReloadingSslContext.load(tls.certificateFile(), tls.keyFile());
        return new ServerTransport(context, new CertificateWatcher(context, tls.certificateFile(), tls.keyFile(), tls.reloadInterval()),
                settings.http2());
    }

    public HttpServer apply(HttpServer server) {
        if (sslContext != null) {
            return server.secure(spec -> spec.sslContext(sslContext))
                    .protocol(http2 ? new HttpProtocol[] {HttpProtocol.H2, HttpProtocol.HTTP11} : new HttpProtocol[] {HttpProtocol.HTTP11});
        }
        return server.protocol(http2 ? new HttpProtocol[] {HttpProtocol.HTTP11, HttpProtocol.H2C} : new HttpProtocol[] {HttpProtocol.HTTP11});
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
