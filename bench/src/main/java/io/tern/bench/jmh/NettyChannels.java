package io.tern.bench.jmh;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's side of the socketless benchmarks: an {@link EmbeddedChannel} on the pooled allocator
 * whose last handler consumes and releases what reaches it, so no queue grows and no buffer leaks
 * (the shape of Netty's own {@code microbench} module).
 */
final class NettyChannels {

    private NettyChannels() {
    }

    /** Counts and releases every inbound message that reaches the end of the pipeline. */
    static final class InboundSink extends ChannelInboundHandlerAdapter {
        long messages;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages++;
            ReferenceCountUtil.release(msg);
        }
    }

    /** Counts and releases every outbound message that reaches the head of the pipeline. */
    static final class OutboundSink extends ChannelOutboundHandlerAdapter {
        long messages;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            messages++;
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
        }
    }

    /**
     * A channel with the pooled allocator and the given handlers, in pipeline order.
     *
     * @param handlers the handlers
     * @return the channel
     */
    static EmbeddedChannel pooled(ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        channel.pipeline().addLast(handlers);
        return channel;
    }
}
