package dev.sluice.server.http;

import dev.sluice.core.request.CallReport;
import dev.sluice.core.request.GatewayStream;
import io.netty.util.AttributeKey;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

import java.util.function.Supplier;

/**
 * What the server learned about the request it is serving, from the engine's answers, streams and failures (whose
 * key, which target, tokens, time upstream), for the access log, the request metrics and the overhead header. Kept on
 * the connection, which serves one request at a time; the engine never sees it.
 */
public final class ExchangeReport {

    private static final AttributeKey<ExchangeReport> KEY = AttributeKey.valueOf("sluice.exchange");

    private final long startNanos;
    private volatile CallReport report = CallReport.NONE;
    private volatile Supplier<CallReport> stream;
    private volatile long stampedOverheadNanos = -1;

    private ExchangeReport(long startNanos) {
        this.startNanos = startNanos;
    }

    /** A report of the request that arrived at {@code startNanos} ({@link System#nanoTime()}), kept on its connection. */
    public static ExchangeReport start(NettyInbound request, long startNanos) {
        ExchangeReport exchange = new ExchangeReport(startNanos);
        request.withConnection(connection -> connection.channel().attr(KEY).set(exchange));
        return exchange;
    }

    /** The report of the request this response answers; a detached one when none was started. */
    public static ExchangeReport of(NettyOutbound response) {
        ExchangeReport[] found = {null};
        response.withConnection(connection -> found[0] = connection.channel().attr(KEY).get());
        return found[0] != null ? found[0] : new ExchangeReport(System.nanoTime());
    }

    /** The report of the request being read; a detached one when none was started. */
    public static ExchangeReport of(NettyInbound request) {
        ExchangeReport[] found = {null};
        request.withConnection(connection -> found[0] = connection.channel().attr(KEY).get());
        return found[0] != null ? found[0] : new ExchangeReport(System.nanoTime());
    }

    /** The engine reported on the request (an answer, a refusal, an identified caller); nothing is kept of an empty report. */
    public void record(CallReport report) {
        if (report != null && !report.equals(CallReport.NONE)) {
            this.report = report;
        }
    }

    /** The request is answered by this stream, whose report grows until it ends. */
    public void follow(GatewayStream answer) {
        stream = answer::report;
    }

    public long startNanos() {
        return startNanos;
    }

    /** What is known now: a followed stream's report as it is now, else the last recorded one. */
    public CallReport report() {
        Supplier<CallReport> live = stream;
        return live != null ? live.get() : report;
    }

    /** Time spent in the gateway so far, excluding time upstream. */
    public long overheadNanos(long nowNanos) {
        return Math.max(0, nowNanos - startNanos - report().upstreamNanos());
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
}
