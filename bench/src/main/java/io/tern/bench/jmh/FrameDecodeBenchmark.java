package io.tern.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.tern.bench.Payloads;
import io.tern.codec.BufferPool;
import io.tern.codec.MessageListener;
import io.tern.codec.MessageReader;
import io.tern.codec.ReaderSettings;
import io.tern.codec.Role;
import java.nio.ByteBuffer;
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
 * Decoding one text frame: header, unmasking (for masked frames) and UTF-8 validation, then
 * delivery of the message.
 *
 * <p>Tern: a {@link MessageReader} (server role for masked frames, client role for unmasked
 * ones, since RFC 6455 §5.1 ties the mask to the direction) reads the frame from a direct buffer,
 * like the transport's read buffer. It unmasks in place, so a masked frame is first copied from
 * its template into that buffer in every operation (the copy a socket read makes); unmasked
 * frames are read again from the same bytes.
 *
 * <p>Netty: {@link WebSocket08FrameDecoder} followed by {@link Utf8FrameValidator} (what
 * {@code WebSocketServerProtocolHandler} installs with UTF-8 validation on) in an
 * {@link EmbeddedChannel} with the pooled allocator; the input is a pooled direct buffer whose
 * reader index is rewound each time. Netty copies the payload into a new pooled buffer itself
 * before unmasking it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecodeBenchmark {

    /** Payload size in bytes. */
    @Param({"0", "16", "125", "1024", "65536", "1048576"})
    public int size;

    /** Whether the frame is masked (client to server) or not (server to client). */
    @Param({"true", "false"})
    public boolean masked;

    private byte[] frame;
    private ByteBuffer ternInput;
    private MessageReader reader;
    private final CountingListener listener = new CountingListener();

    private ByteBuf nettyInput;
    private EmbeddedChannel netty;
    private NettyChannels.InboundSink nettySink;

    /** Builds both decoders and the frame. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] payload = Payloads.utf8Text(size, 42);
        frame = Payloads.frame(1, false, payload, masked ? new byte[] {0x37, (byte) 0xfa, 0x21, 0x3d} : null);
        ternInput = ByteBuffer.allocateDirect(frame.length);
        ternInput.put(frame).flip();
        ReaderSettings settings = ReaderSettings.defaults().withMaxFrameSize(2 << 20).withMaxMessageSize(2 << 20);
        reader = new MessageReader(masked ? Role.SERVER : Role.CLIENT, settings, listener, BufferPool.unpooled());

        nettyInput = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length);
        nettyInput.writeBytes(frame);
        nettySink = new NettyChannels.InboundSink();
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(masked).maxFramePayloadLength(2 << 20).allowExtensions(false).build();
        netty = NettyChannels.pooled(new WebSocket08FrameDecoder(config), new Utf8FrameValidator(), nettySink);
        if (netty_decode() != 1 || tern_decode() != size + 1) {
            throw new IllegalStateException("a decoder did not deliver the frame");
        }
    }

    /** Releases Netty's buffers and checks that every frame was delivered. */
    @TearDown(Level.Trial)
    public void tearDown() {
        netty.finishAndReleaseAll();
        nettyInput.release();
        if (reader.failureCode() != 0) {
            throw new IllegalStateException("Tern failed the frame: " + reader.failureReason());
        }
    }

    /**
     * Tern decodes one frame.
     *
     * @return bytes delivered so far (keeps the work observable)
     */
    @Benchmark
    public long tern_decode() {
        ByteBuffer in = ternInput;
        if (masked) {
            in.clear();
            in.put(frame).flip();
        } else {
            in.position(0);
        }
        reader.read(in);
        return listener.bytes;
    }

    /**
     * Netty decodes one frame.
     *
     * @return frames delivered so far
     */
    @Benchmark
    public long netty_decode() {
        nettyInput.readerIndex(0);
        netty.writeInbound(nettyInput.retain());
        return nettySink.messages;
    }

    /** Counts delivered bytes; the reader hands whole messages. */
    static final class CountingListener implements MessageListener {
        long bytes;

        @Override
        public void onText(ByteBuffer utf8, boolean last) {
            bytes += utf8.remaining() + 1;
        }

        @Override
        public void onBinary(ByteBuffer data, boolean last) {
            bytes += data.remaining() + 1;
        }

        @Override
        public void onPing(ByteBuffer payload) {
        }

        @Override
        public void onPong(ByteBuffer payload) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    }
}
