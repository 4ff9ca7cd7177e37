package dev.sluice.core.request;

import reactor.util.context.ContextView;

/**
 * Where a stream tells who serves it. Put one in the subscriber context of
 * {@link dev.sluice.core.Gateway#stream} ({@code contextWrite(ServedBy.KEY, holder)}); the engine fills it in before
 * the stream's first event, so that whoever commits the response on that event (the HTTP server's headers) can say
 * which provider and model answered, fallbacks included.
 */
public final class ServedBy {

    /** The context key the holder is found under. */
    public static final Class<ServedBy> KEY = ServedBy.class;

    private volatile Served served;

    /** Who serves the stream, or {@code null} before its first event. */
    public Served get() {
        return served;
    }

    /** Called by the engine, once per stream, before its first event. */
    public void set(Served served) {
        this.served = served;
    }

    /** The holder in the context, or {@code null} when the subscriber did not put one there. */
    public static ServedBy in(ContextView context) {
        return context.getOrDefault(KEY, null);
    }
}
