package dev.sluice.server.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Looks at the certificate and key files every so often and reloads the TLS context when either changed (a renewal by
 * cert-manager or certbot), so that new connections get the new certificate without a restart. A pair that does not
 * load (the key written before the certificate, say) is tried again at the next look; the old context stays meanwhile.
 */
public final class CertificateWatcher implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(CertificateWatcher.class);

    private final ReloadingSslContext context;
    private final List<Path> files;
    private final Disposable loop;
    private volatile List<FileTime> seen;

    public CertificateWatcher(ReloadingSslContext context, Path certificate, Path key, Duration every) {
        this.context = Objects.requireNonNull(context, "context");
        this.files = List.of(certificate, key);
        this.seen = modified();
        // File system calls block: on a thread that may.
        this.loop = Flux.interval(every, every, Schedulers.boundedElastic())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromRunnable(this::look), 1)
                .subscribe();
    }

    private void look() {
        List<FileTime> now = modified();
        if (now.equals(seen)) {
            return;
        }
        try {
            context.reload();
            seen = now;
            log.info("TLS certificate reloaded from {}", files.getFirst());
        } catch (IOException | RuntimeException e) {
            log.warn("TLS certificate files changed but do not load yet; keeping the previous certificate: {}", e.getMessage());
        }
    }

    private List<FileTime> modified() {
        return files.stream().map(file -> {
            try {
                return Files.getLastModifiedTime(file);
            } catch (IOException gone) {
                return FileTime.fromMillis(0);
            }
        }).toList();
    }

    @Override
    public void dispose() {
        loop.dispose();
    }

    @Override
    public boolean isDisposed() {
        return loop.isDisposed();
    }
}
