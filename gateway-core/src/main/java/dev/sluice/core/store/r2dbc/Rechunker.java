package dev.sluice.core.store.r2dbc;

import dev.sluice.core.files.FileTooLargeException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Cuts a stream of pieces of any size into chunks of one fixed size (the last one shorter), one chunk per request:
 * a piece is taken from upstream only once the chunk being filled needs it, so at most one chunk is being filled
 * while the one emitted before it is written. Counts the bytes, and fails as soon as they go past the limit.
 * One instance per subscription.
 */
final class Rechunker {

    private final int chunkBytes;
    private final long maxBytes;
    private byte @Nullable [] buffer;
    private int filled;
    private long total;

    private Rechunker(int chunkBytes, long maxBytes) {
        this.chunkBytes = chunkBytes;
        this.maxBytes = maxBytes;
    }

    /** The chunks of {@code pieces}; {@code onTotal} is told the number of bytes once they are all emitted. */
    static Flux<byte[]> chunks(Flux<byte[]> pieces, int chunkBytes, long maxBytes, LongConsumer onTotal) {
        return Flux.defer(() -> {
            Rechunker rechunker = new Rechunker(chunkBytes, maxBytes);
            // Prefetch 0: the next piece is requested only when the chunk being filled needs it.
            return pieces.concatMap(rechunker::accept, 0)
                    .concatWith(Mono.defer(() -> Mono.justOrEmpty(rechunker.rest())))
                    .doOnComplete(() -> onTotal.accept(rechunker.total));
        });
    }

    /** The full chunks that {@code piece} completes, made only as they are requested. */
    private Flux<byte[]> accept(byte[] piece) {
        total += piece.length;
        if (total > maxBytes) {
            return Flux.error(new FileTooLargeException(maxBytes));
        }
        return Flux.generate(() -> 0, (position, sink) -> {
            int from = position;
            if (from == piece.length) {
                sink.complete();
                return from;
            }
            byte[] filling = buffer;
            if (filling == null) {
                filling = new byte[chunkBytes];
                buffer = filling;
            }
            int n = Math.min(piece.length - from, chunkBytes - filled);
            System.arraycopy(piece, from, filling, filled, n);
            filled += n;
            if (filled == chunkBytes) {
                byte[] full = filling;
                buffer = null;
                filled = 0;
                sink.next(full);
            } else {
                sink.complete();
            }
            return from + n;
        });
    }

    /** The last, partly filled chunk; {@code null} (nothing emitted) when there is none. */
    private byte @Nullable [] rest() {
        byte[] partial = buffer;
        if (filled == 0 || partial == null) {
            return null;
        }
        byte[] last = Arrays.copyOf(partial, filled);
        buffer = null;
        filled = 0;
        return last;
    }
}
