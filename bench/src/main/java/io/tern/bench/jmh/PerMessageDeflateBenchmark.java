package io.tern.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.tern.bench.Payloads;
import io.tern.codec.BufferPool;
import io.tern.codec.Role;
import io.tern.codec.deflate.DeflateOptions;
import io.tern.codec.deflate.DeflateParameters;
import io.tern.codec.deflate.PerMessageDeflater;
import io.tern.codec.deflate.PerMessageInflater;
import io.tern.codec.deflate.ZStreamPool;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * permessage-deflate (RFC 7692) of one whole JSON message, server side: compressing what the
 * server sends and inflating what a client sent, with context takeover on or off and a 15-bit
 * or 10-bit window for the server's compressor.
 *
 * <p>Tern: {@link PerMessageDeflater} (zlib level 6 at 15 bits; Tern's own windowed encoder below)
 * and {@link PerMessageInflater}, with a {@link ZStreamPool} and a small recycling buffer pool,
 * as a loop has them. Netty: the encoder and decoder that
 * {@link PerMessageDeflateServerExtensionHandshaker} (level 6) makes for the same offer, in an
 * {@link EmbeddedChannel} with the pooled allocator; its 10-bit window needs JZlib. The
 * compressed input of the decompress benchmarks is the same bytes for both, made once by Tern's
 * client-side deflater (an inflater accepts any window).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PerMessageDeflateBenchmark {

    /** Message size in bytes (JSON). */
    @Param({"1024", "16384"})
    public int size;

    /** Whether the compressor keeps its context between messages. */
    @Param({"true", "false"})
    public boolean takeover;

    /** The server's LZ77 window (server_max_window_bits). */
    @Param({"15", "10"})
    public int windowBits;

    private ByteBuffer message;
    private ByteBuffer compressed;
    private ByteBuffer inflated;
    private ZStreamPool pool;
    private final RecyclingBuffers buffers = new RecyclingBuffers();
    private PerMessageDeflater deflater;
    private PerMessageInflater inflater;

    private ByteBuf nettyMessage;
    private ByteBuf nettyCompressed;
    private EmbeddedChannel nettyEncoder;
    private EmbeddedChannel nettyDecoder;
    private NettyChannels.InboundSink nettySink;

    /** Builds both sides for the negotiated parameters. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] json = Payloads.json(size, 11);
        message = ByteBuffer.allocateDirect(size);
        message.put(json).flip();
        pool = new ZStreamPool();
        DeflateParameters agreed = new DeflateParameters(!takeover, !takeover, windowBits, windowBits);
        DeflateOptions options = DeflateOptions.defaults().withCompressionLevel(6);
        deflater = new PerMessageDeflater(agreed, Role.SERVER, options, pool);
        inflater = new PerMessageInflater(agreed, Role.SERVER, pool);
        PerMessageDeflater client = new PerMessageDeflater(agreed, Role.CLIENT, options, new ZStreamPool());
        ByteBuffer c = client.compress(message.duplicate(), true, BufferPool.unpooled());
        byte[] compressedBytes = new byte[c.remaining()];
        c.get(compressedBytes);
        client.release();
        compressed = ByteBuffer.allocateDirect(compressedBytes.length);
        compressed.put(compressedBytes).flip();
        inflated = ByteBuffer.allocateDirect(size + 64);

        Map<String, String> offer = new LinkedHashMap<>();
        if (windowBits < 15) {
            offer.put("server_max_window_bits", Integer.toString(windowBits));
        }
        if (!takeover) {
            offer.put("server_no_context_takeover", null);
            offer.put("client_no_context_takeover", null);
        }
        WebSocketServerExtension extension = new PerMessageDeflateServerExtensionHandshaker(6, true, 15, true, false)
                .handshakeExtension(new WebSocketExtensionData("permessage-deflate", offer));
        if (extension == null) {
            throw new IllegalStateException("Netty declined the offer " + offer);
        }
        nettyMessage = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        nettyMessage.writeBytes(json);
        nettyCompressed = PooledByteBufAllocator.DEFAULT.directBuffer(compressedBytes.length);
        nettyCompressed.writeBytes(compressedBytes);
        nettyEncoder = NettyChannels.pooled(new NettyChannels.OutboundSink(), extension.newExtensionEncoder());
        nettySink = new NettyChannels.InboundSink();
        nettyDecoder = NettyChannels.pooled(extension.newExtensionDecoder(), nettySink);
        if (tern_decompress() != size) {
            throw new IllegalStateException("Tern inflated the wrong size");
        }
        // both sides must really work before they are timed: Netty's compressor below 15 bits
        // needs JZlib, and a failed write would otherwise be timed as an exception path
        netty_compress();
        netty_decompress();
        if (nettySink.messages != 1) {
            throw new IllegalStateException("Netty did not inflate the message");
        }
    }

    /** Frees native streams and Netty's buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        deflater.release();
        inflater.release();
        pool.close();
        nettyEncoder.finishAndReleaseAll();
        nettyDecoder.finishAndReleaseAll();
        nettyMessage.release();
        nettyCompressed.release();
    }

    /**
     * Tern compresses the message.
     *
     * @return the compressed size
     */
    @Benchmark
    public int tern_compress() {
        ByteBuffer out = deflater.compress(message.position(0), true, buffers);
        int n = out.remaining();
        buffers.release(out);
        return n;
    }

    /**
     * Netty compresses the message.
     *
     * @return whether the write completed
     */
    @Benchmark
    public boolean netty_compress() {
        io.netty.channel.ChannelFuture f = nettyEncoder.writeOneOutbound(new BinaryWebSocketFrame(nettyMessage.retainedDuplicate()));
        if (!f.isSuccess()) {
            // a failed write would measure an exception path, not compression
            throw new IllegalStateException("Netty failed to compress", f.cause());
        }
        return true;
    }

    /**
     * Tern inflates the message.
     *
     * @return the inflated size
     */
    @Benchmark
    public int tern_decompress() {
        ByteBuffer out = inflated.clear();
        inflater.setInput(compressed.position(0));
        drain(out);
        inflater.finishInput();
        drain(out);
        inflater.endMessage();
        return out.position();
    }

    private void drain(ByteBuffer out) {
        while (true) {
            int n = inflater.inflate(out);
            if (n < 0) {
                throw new IllegalStateException("corrupt input");
            }
            if (n == 0 || inflater.needsInput() || !out.hasRemaining()) {
                return;
            }
        }
    }

    /**
     * Netty inflates the message.
     *
     * @return whether the read completed
     */
    @Benchmark
    public boolean netty_decompress() {
        nettyDecoder.writeInbound(
                new BinaryWebSocketFrame(true, WebSocketExtension.RSV1, nettyCompressed.retainedDuplicate()));
        return nettySink.messages > 0;
    }

    /** Hands out one buffer again and again, as a loop's pool does once warm. */
    static final class RecyclingBuffers implements BufferPool {
        private ByteBuffer spare;

        @Override
        public ByteBuffer acquire(int minCapacity) {
            ByteBuffer b = spare;
            if (b != null && b.capacity() >= minCapacity) {
                spare = null;
                return b.clear();
            }
            return ByteBuffer.allocateDirect(minCapacity);
        }

        @Override
        public void release(ByteBuffer buffer) {
            spare = buffer;
        }
    }
}
