package dev.sluice.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request headers, once their first byte has come, are not whole within the timeout. The
 * idle timeout counts silence, not slowness: without this, a client trickling its headers a byte at a time would hold
 * its connection for as long as it liked. Two handlers share one state, on the connection's event loop: one before the
 * HTTP codec sees raw bytes arrive, one after it sees the request decoded and the end of its body.
 */
public final class RequestHeaderTimeout {

    static final String BYTES = "sluice.requestHeaderTimeout.bytes";
    static final String REQUESTS = "sluice.requestHeaderTimeout.requests";

    private RequestHeaderTimeout() {
    }

    /** Adds the timeout around the HTTP/1.1 codec of this connection; a pipeline without one is left alone. */
    public static void install(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        State state = new State(timeout.toNanos());
        pipeline.addBefore(NettyPipeline.HttpCodec, BYTES, new Bytes(state));
        pipeline.addAfter(NettyPipeline.HttpCodec, REQUESTS, new Requests(state));
    }

    private static final class State {
        private final long timeoutNanos;
        private boolean betweenRequests = true;
        private Future<?> deadline;

        State(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        void bytesArrived(ChannelHandlerContext ctx) {
            if (betweenRequests) {
                betweenRequests = false;
                deadline = ctx.executor().schedule(() -> ctx.channel().close(), timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        void headersDecoded() {
            stop();
        }

        void requestEnded() {
            betweenRequests = true;
        }

        void stop() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }

    /** Before the codec: the first byte of a request starts its deadline. */
    private static final class Bytes extends ChannelInboundHandlerAdapter {
        private final State state;

        Bytes(State state) {
            this.state = state;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
                state.bytesArrived(ctx);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            state.stop();
            super.channelInactive(ctx);
        }
    }

    /** After the codec: decoded headers meet the deadline; the end of the body readies it for the next request. */
    private static final class Requests extends ChannelInboundHandlerAdapter {
        private final State state;

        Requests(State state) {
            this.state = state;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                state.headersDecoded();
            }
            if (msg instanceof LastHttpContent) {
                state.requestEnded();
            }
            super.channelRead(ctx, msg);
        }
    }
}
