package dev.sluice.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's TLS context, built from a PEM certificate chain and key, that can be swapped for one built from new
 * files while the server runs: each new connection takes the context current when it opens, connections already
 * open keep theirs. Offers HTTP/2 and HTTP/1.1 by ALPN.
 */
public final class ReloadingSslContext extends SslContext {

    private final Path certificate;
    private final Path key;
    private final AtomicReference<SslContext> current;

    private ReloadingSslContext(Path certificate, Path key, SslContext first) {
        this.certificate = certificate;
        this.key = key;
        this.current = new AtomicReference<>(first);
    }

    /** Reads the files now; fails, naming them, when they do not hold a certificate chain and its private key. */
    public static ReloadingSslContext load(Path certificate, Path key) throws SSLException {
        return new ReloadingSslContext(certificate, key, build(certificate, key));
    }

    /** Builds a context from the files as they are now and uses it for new connections; the old one stays if they are bad. */
    public void reload() throws SSLException {
        current.set(build(certificate, key));
    }

    private static SslContext build(Path certificate, Path key) throws SSLException {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    // The JDK's engine: the same on every machine, nothing native to load.
                    .sslProvider(SslProvider.JDK)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SSLException("server.tls: cannot read the certificate " + certificate + " or the key " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.get().cipherSuites();
    }

    @Override
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.get().applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.get().newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.get().newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.get().sessionContext();
    }
}
