package dev.sluice.core.metrics;

import dev.sluice.core.usage.TokenCounts;
import reactor.util.context.ContextView;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the engine learns about one request while serving it (provider, model, virtual key name, tokens, time spent
 * upstream), for the HTTP layer's access log, overhead header and request metrics. The HTTP layer puts one in the
 * Reactor context under {@link #KEY}; the engine fills it through {@link #of(ContextView)}, which answers a
 * do-nothing trace for work without one (async jobs, batch lines, embedded use).
 */
@SuppressWarnings("NullAway") // not yet @NullMarked-clean: being reworked elsewhere for issue 17
public final class RequestTrace {

    /** The Reactor context key. */
    public static final Object KEY = RequestTrace.class;

    private static final RequestTrace NONE = new RequestTrace(0, false);

    private final long startNanos;
    private final boolean live;
    private final AtomicLong upstreamNanos = new AtomicLong();
    private final AtomicLong upstreamSince = new AtomicLong();
    private volatile String provider;
    private volatile String model;
    private volatile String virtualKey;
    private volatile TokenCounts tokens;
    private volatile long stampedOverheadNanos = -1;

    private RequestTrace(long startNanos, boolean live) {
        this.startNanos = startNanos;
        this.live = live;
    }

    /** A trace of a request that arrived at {@code startNanos} ({@link System#nanoTime()}). */
    public static RequestTrace startedAt(long startNanos) {
        return new RequestTrace(startNanos, true);
    }

    /** The trace in this context, or one that records nothing. */
    public static RequestTrace of(ContextView context) {
        return context.getOrDefault(KEY, NONE);
    }

    /** Whether this trace belongs to a request (false for the do-nothing trace). */
    public boolean live() {
        return live;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The request was routed to {@code provider/model} (the model as the provider knows it). */
    public void target(String providerAndModel) {
        if (!live) {
            return;
        }
        int slash = providerAndModel.indexOf('/');
        provider = slash < 0 ? providerAndModel : providerAndModel.substring(0, slash);
        model = slash < 0 ? null : providerAndModel.substring(slash + 1);
    }

    /** The caller was identified as the virtual key with this name (never its value); {@code null} for anonymous. */
    public void virtualKey(String name) {
        if (live) {
            virtualKey = name;
        }
    }

    public void tokens(TokenCounts counts) {
        if (live) {
            tokens = counts;
        }
    }

    /** An upstream call began. Calls are sequential (retries, fallbacks): one is open at a time. */
    public void upstreamStarted(long nowNanos) {
        if (live) {
            upstreamSince.set(nowNanos);
        }
    }

    /** The open upstream call ended; its time is added to the upstream total. */
    public void upstreamEnded(long nowNanos) {
        if (!live) {
            return;
        }
        long since = upstreamSince.getAndSet(0);
        if (since != 0) {
            upstreamNanos.addAndGet(nowNanos - since);
        }
    }

    /** Time spent upstream so far, counting an open call up to now. */
    public long upstreamNanos(long nowNanos) {
        long since = upstreamSince.get();
        return upstreamNanos.get() + (since == 0 ? 0 : nowNanos - since);
    }

    /** Time spent in the gateway so far, excluding time upstream. */
    public long overheadNanos(long nowNanos) {
        return Math.max(0, nowNanos - startNanos - upstreamNanos(nowNanos));
    }

    /**
     * The overhead when the response headers are written, remembered as the request's overhead: for a stream, the
     * gateway's share of the time to its first byte.
     */
    public long stampOverhead(long nowNanos) {
        long overhead = overheadNanos(nowNanos);
        stampedOverheadNanos = overhead;
        return overhead;
    }

    /** The overhead stamped on the response headers, or, when none were written, the overhead until now. */
    public long finalOverheadNanos(long nowNanos) {
        long stamped = stampedOverheadNanos;
        return stamped >= 0 ? stamped : overheadNanos(nowNanos);
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    public String virtualKey() {
        return virtualKey;
    }

    /** The tokens the answer reported, or {@code null} when none were. */
    public TokenCounts tokens() {
        return tokens;
    }
}
