package dev.sluice.server.files;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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

/**
 * A {@code multipart/form-data} upload read without holding the file in memory: Netty's decoder spills the
 * file part to a temporary file as it arrives, which is then read back in chunks and deleted.
 *
 * @param fields   the text fields
 * @param filename the file part's name, or {@code null} when there was no file part
 * @param file     where the file part's bytes wait, or {@code null}
 * @param size     the file part's size in bytes
 */
record MultipartForm(Map<String, String> fields, String filename, Path file, long size) {

    private static final long IN_MEMORY_LIMIT = 64 * 1024;
    private static final int READ_CHUNK = 256 * 1024;

    static Mono<MultipartForm> read(HttpServerRequest request, long maxBytes) {
        if (!request.isMultipart()) {
            return Mono.error(new InvalidRequestException("Uploads must be multipart/form-data with a 'file' and a 'purpose'.", null));
        }
        Map<String, String> fields = new HashMap<>();
        MultipartForm[] form = {null};
        return request.receiveForm(builder -> builder
                        .maxInMemorySize(IN_MEMORY_LIMIT)
                        // One byte over the limit is enough to know the file is too large.
                        .maxSize(maxBytes + 1)
                        .scheduler(Schedulers.boundedElastic()))
                // The decoder cleans each part up once emitted, so a part is retained until taken; taking it (keeping
                // the file part on disk) blocks, so it happens on bounded elastic, whatever thread the part came on.
                .doOnNext(HttpData::retain)
                .concatMap(part -> Mono.fromRunnable(() -> take(part, fields, form, maxBytes))
                        .subscribeOn(Schedulers.boundedElastic())
                        .doFinally(signal -> part.release()))
                .doOnDiscard(HttpData.class, HttpData::release)
                .onErrorMap(e -> !(e instanceof GatewayException), e -> String.valueOf(e.getMessage()).contains("Size exceed")
                        ? tooLarge(maxBytes)
                        : new InvalidRequestException("The multipart body could not be read: " + e.getMessage(), null))
                .doOnError(e -> {
                    if (form[0] != null) {
                        form[0].discard();
                    }
                })
                .then(Mono.fromSupplier(() -> form[0] != null ? form[0] : new MultipartForm(fields, null, null, 0)));
    }

    private static void take(HttpData part, Map<String, String> fields, MultipartForm[] form, long maxBytes) {
        try {
            if (part instanceof FileUpload upload && upload.getName().equals("file")) {
                if (upload.length() > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                form[0] = new MultipartForm(fields, upload.getFilename(), keep(upload), upload.length());
            } else if (!(part instanceof FileUpload)) {
                fields.put(part.getName(), part.getString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Deletes the temporary file. */
    void discard() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is removed by the OS's temp cleaning
            }
        }
    }

    /** Moves the part to a temporary file of our own, which outlives the decoder's clean-up of its parts. */
    private static Path keep(FileUpload upload) throws IOException {
        Path own = Files.createTempFile("sluice-upload-", ".part");
        if (upload.isInMemory()) {
            Files.write(own, upload.get());
        } else {
            Files.move(upload.getFile().toPath(), own, StandardCopyOption.REPLACE_EXISTING);
        }
        return own;
    }

    private static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(413, "invalid_request_error", "file_too_large", "file",
                "File is larger than the limit of " + maxBytes + " bytes (files.max_bytes).");
    }
}
