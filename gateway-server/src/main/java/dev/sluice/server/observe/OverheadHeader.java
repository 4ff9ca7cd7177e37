package dev.sluice.server.observe;

import dev.sluice.server.http.ExchangeReport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AttributeKey;

/**
 * Stamps {@code x-sluice-overhead-ms} on each response as its headers go out, whichever code sent them: only then
 * is the gateway's share of the time up to the first byte known (for a stream, when its first event is relayed).
 * Sits in the channel pipeline after the HTTP codec, so it sees the response object before it is encoded.
 */
@ChannelHandler.Sharable
final class OverheadHeader extends ChannelOutboundHandlerAdapter {

    static final String NAME = "sluice.overhead";
    static final String HEADER = "x-sluice-overhead-ms";
    /** The trace of the request the connection is serving now (HTTP/1.1 serves one at a time). */
    static final AttributeKey<ExchangeReport> TRACE = AttributeKey.valueOf("sluice.trace");
    static final OverheadHeader INSTANCE = new OverheadHeader();

    private OverheadHeader() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // Informational answers (100 Continue) come before the request is served; the real response follows.
        if (msg instanceof HttpResponse response && response.status().code() >= 200) {
            // Taken, not read: one response per request. The request's own end may be signalled before this write
            // runs (a response sent from another thread is written by a task on the event loop), so it cannot clear it.
            ExchangeReport trace = ctx.channel().attr(TRACE).getAndSet(null);
            if (trace != null) {
                response.headers().set(HEADER, Millis.format(trace.stampOverhead(System.nanoTime())));
            }
        }
        super.write(ctx, msg, promise);
    }
}
