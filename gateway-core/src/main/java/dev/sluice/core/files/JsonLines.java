package dev.sluice.core.files;

import dev.sluice.core.error.InvalidRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits a stream of chunks (a JSONL file's content) into its lines, however the chunks cut them. Lines end at
 * {@code \n} or {@code \r\n}; a last line without an end is a line too. It splits bytes, not characters: {@code \n}
 * never occurs inside a multi-byte UTF-8 sequence, so a character cut by a chunk boundary arrives whole in its line.
 */
public final class JsonLines {

    /** The longest line {@link #lines(Flux)} accepts, so that a file without line ends cannot fill the memory. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    private JsonLines() {
    }

    /**
     * One line without its end.
     *
     * @param number 1 for the first line of the file
     * @param bytes  the line's bytes, without {@code \n} or {@code \r\n}
     */
    public record Line(int number, byte[] bytes) {

        /** The line decoded as UTF-8. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Whether it holds nothing but spaces, tabs and carriage returns. */
        public boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /** The lines of {@code chunks}, empty lines included; fails with a 400 on a line over {@link #DEFAULT_MAX_LINE_BYTES}. */
    public static Flux<Line> lines(Flux<byte[]> chunks) {
        return lines(chunks, DEFAULT_MAX_LINE_BYTES);
    }

    /** The lines of {@code chunks}, empty lines included; fails with a 400 on a line longer than {@code maxLineBytes}. */
    public static Flux<Line> lines(Flux<byte[]> chunks, int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("max_line_bytes: " + maxLineBytes + " (expected: > 0)");
        }
        return Flux.defer(() -> {
            Splitter splitter = new Splitter(maxLineBytes);
            // Deferred rather than a supplier: a supplier runs only on demand, so no last line would hold back the
            // completion of a subscriber that asked for exactly every line.
            // Prefetch 1: a chunk of a file is a mebibyte, so chunks are taken one at a time.
            return chunks.<List<Line>>handle((chunk, sink) -> splitter.split(chunk)
                            .ifPresentOrElse(sink::next, () -> sink.error(splitter.tooLong())))
                    .concatMapIterable(lines -> lines, 1)
                    .concatWith(Mono.defer(splitter::last));
        });
    }

    /** The state of one split: the start of a line whose end has not come yet. */
    private static final class Splitter {

        private final int maxLineBytes;
        private byte[] pending = new byte[0];
        private int pendingLength;
        private int number;

        Splitter(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
        }

        /** The lines {@code chunk} ends; empty when one is too long (see {@link #tooLong()}). */
        Optional<List<Line>> split(byte[] chunk) {
            List<Line> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    Optional<Line> line = line(chunk, start, i);
                    if (line.isEmpty()) {
                        return Optional.empty();
                    }
                    lines.add(line.get());
                    start = i + 1;
                }
            }
            return keep(chunk, start, chunk.length) ? Optional.of(lines) : Optional.empty();
        }

        /** The line made of what is pending and {@code chunk[from, to)}, without a final {@code \r}; empty when too long. */
        private Optional<Line> line(byte[] chunk, int from, int to) {
            if (!keep(chunk, from, to)) {
                return Optional.empty();
            }
            int length = pendingLength;
            if (length > 0 && pending[length - 1] == '\r') {
                length--;
            }
            if (length > maxLineBytes) {
                return Optional.empty();
            }
            Line line = new Line(++number, Arrays.copyOf(pending, length));
            pendingLength = 0;
            return Optional.of(line);
        }

        /** Adds {@code chunk[from, to)} to the pending line; false when that makes it too long. */
        private boolean keep(byte[] chunk, int from, int to) {
            int n = to - from;
            if (n == 0) {
                return true;
            }
            // One more byte is allowed for the \r of a \r\n end.
            if ((long) pendingLength + n > (long) maxLineBytes + 1) {
                return false;
            }
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pendingLength + n, Math.min(maxLineBytes + 1, pending.length * 2)));
            }
            System.arraycopy(chunk, from, pending, pendingLength, n);
            pendingLength += n;
            return true;
        }

        /** The failure of the line being read, which is too long. */
        InvalidRequestException tooLong() {
            return new InvalidRequestException("line " + (number + 1) + " is longer than " + maxLineBytes + " bytes", null);
        }

        /** The last line, when the content does not end with a line end; nothing otherwise. */
        Mono<Line> last() {
            if (pendingLength == 0) {
                return Mono.empty();
            }
            if (pendingLength > maxLineBytes) {
                return Mono.error(tooLong());
            }
            Line line = new Line(++number, Arrays.copyOf(pending, pendingLength));
            pendingLength = 0;
            return Mono.just(line);
        }
    }
}
