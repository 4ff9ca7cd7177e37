package dev.sluice.server.files;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code multipart/form-data} upload read without holding the file in memory: Netty's decoder spills the
 * file part to a temporary file as it arrives, which is then read back in chunks and deleted. Text fields are small
 * ({@value #MAX_FIELD_BYTES} bytes at most), the parts few ({@value #MAX_PARTS}), and there is one file part.
 *
 * @param fields   the text fields
 * @param filename the file part's name, or {@code null} when there was no file part
 * @param file     where the file part's bytes wait, or {@code null}
 * @param size     the file part's size in bytes
 */
record MultipartForm(Map<String, String> fields, @Nullable String filename, @Nullable Path file, long size) {

    /** The longest text field: {@code purpose} and {@code expires_after[...]} are a few bytes. */
    static final int MAX_FIELD_BYTES = 64 * 1024;
    /** The most parts a form may have: the file, its purpose, its expiry, and room for what SDKs add. */
    static final int MAX_PARTS = 16;
    /**
     * What an upload holds in memory, at most: its text parts while the form is read, then a store chunk and a read
     * buffer while the file is stored.
     */
    static final long MEMORY_PER_UPLOAD = 2L * 1024 * 1024;

    private static final int READ_CHUNK = 256 * 1024;

    static Mono<MultipartForm> read(HttpServerRequest request, long maxBytes) {
        if (!request.isMultipart()) {
            return Mono.error(new InvalidRequestException("Uploads must be multipart/form-data with a 'file' and a 'purpose'.", null));
        }
        return Mono.defer(() -> {
            FormParts parts = new FormParts(maxBytes);
            return request.receiveForm(builder -> builder
                            .maxInMemorySize(MAX_FIELD_BYTES)
                            // One byte over the limit is enough to know the file is too large.
                            .maxSize(maxBytes + 1)
                            .scheduler(Schedulers.boundedElastic()))
                    // The decoder cleans each part up once emitted, so a part is retained until taken; taking it (keeping
                    // the file part on disk) blocks, so it happens on bounded elastic, whatever thread the part came on.
                    .doOnNext(HttpData::retain)
                    .concatMap(part -> {
                        // Released before a refusal goes on (it cancels the decoder, which then releases its parts), once.
                        Runnable release = releaseOnce(part);
                        return Mono.defer(() -> parts.take(part))
                                .subscribeOn(Schedulers.boundedElastic())
                                .doOnTerminate(release)
                                .doOnCancel(release);
                    })
                    .doOnDiscard(HttpData.class, HttpData::release)
                    .onErrorMap(e -> !(e instanceof GatewayException), e -> String.valueOf(e.getMessage()).contains("Size exceed")
                            ? tooLarge(maxBytes)
                            : new InvalidRequestException("The multipart body could not be read: " + e.getMessage(), null))
                    // Failed, cancelled or timed out: the file part kept so far goes, and one kept later goes at once.
                    .doFinally(signal -> {
                        if (signal != SignalType.ON_COMPLETE) {
                            parts.discard();
                        }
                    })
                    .then(Mono.fromSupplier(parts::form));
        });
    }

    private static Runnable releaseOnce(HttpData part) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                part.release();
            }
        };
    }

    /**
     * The parts taken so far, one at a time. The file part's temporary file goes on {@link #discard()}, also when it is
     * kept just after: of {@code form} and {@code discarded}, each side writes one and then reads the other.
     */
    private static final class FormParts {
        private final long maxBytes;
        private final Map<String, String> fields = new HashMap<>();
        private int count;
        private volatile @Nullable MultipartForm form;
        private volatile boolean discarded;

        FormParts(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** Takes the part into the form; fails with the refusal of a part the form may not have. */
        Mono<Void> take(HttpData part) {
            if (discarded) {
                return Mono.empty();
            }
            if (++count > MAX_PARTS) {
                return Mono.error(new InvalidRequestException("The form has more than " + MAX_PARTS + " parts (expected: 'file',"
                        + " 'purpose' and the optional 'expires_after[anchor]' and 'expires_after[seconds]').", null));
            }
            try {
                if (part instanceof FileUpload upload && upload.getName().equals("file")) {
                    if (form != null) {
                        return Mono.error(new InvalidRequestException("The form has more than one 'file' part (expected: exactly one).",
                                "file"));
                    }
                    if (upload.length() > maxBytes) {
                        return Mono.error(tooLarge(maxBytes));
                    }
                    form = new MultipartForm(fields, upload.getFilename(), keep(upload), upload.length());
                    if (discarded) {
                        form.discard();
                    }
                } else if (!(part instanceof FileUpload)) {
                    if (part.length() > MAX_FIELD_BYTES) {
                        return Mono.error(new InvalidRequestException("Form field '" + part.getName() + "' is larger than "
                                + MAX_FIELD_BYTES + " bytes.", part.getName()));
                    }
                    fields.put(part.getName(), part.getString(StandardCharsets.UTF_8));
                }
                return Mono.empty();
            } catch (IOException e) {
                return Mono.error(new UncheckedIOException(e));
            }
        }

        MultipartForm form() {
            MultipartForm taken = form;
            return taken != null ? taken : new MultipartForm(fields, null, null, 0);
        }

        void discard() {
            discarded = true;
            MultipartForm taken = form;
            if (taken != null) {
                taken.discard();
            }
        }
    }

    /** The file part's bytes in chunks, read from the temporary file, which is deleted once read or abandoned. */
    Flux<byte[]> content() {
        if (file == null) {
            return Flux.empty();
        }
        return Flux.<byte[], FileChannel>generate(
                        () -> FileChannel.open(file, StandardOpenOption.READ),
                        (channel, sink) -> {
                            try {
                                ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
                                int read = channel.read(buffer);
                                if (read < 0) {
                                    sink.complete();
                                } else {
                                    byte[] chunk = new byte[read];
                                    buffer.flip().get(chunk);
                                    sink.next(chunk);
                                }
                            } catch (IOException e) {
                                sink.error(new UncheckedIOException(e));
                            }
                            return channel;
                        },
                        channel -> {
                            try {
                                channel.close();
                            } catch (IOException ignored) {
                                // closing a read channel cannot lose anything
                            }
                        })
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> discard());
    }

    /** Deletes the temporary file, on a thread that may block: this may be called on an event loop. */
    void discard() {
        if (file != null) {
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is removed by the OS's temp cleaning
                }
            });
        }
    }

    /** Moves the part to a temporary file of our own, which outlives the decoder's clean-up of its parts. */
    private static Path keep(FileUpload upload) throws IOException {
        Path own = Files.createTempFile("sluice-upload-", ".part");
        try {
            if (upload.isInMemory()) {
                Files.write(own, upload.get());
            } else {
                Files.move(upload.getFile().toPath(), own, StandardCopyOption.REPLACE_EXISTING);
            }
            return own;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(own);
            throw e;
        }
    }

    private static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(413, "invalid_request_error", "file_too_large", "file",
                "File is larger than the limit of " + maxBytes + " bytes (files.max_bytes).");
    }
}
