package io.tern.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.tern.bench.Payloads;
import io.tern.codec.FrameEncoder;
import io.tern.codec.MaskKeySource;
import io.tern.codec.Opcode;
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
 * Encoding one binary frame, as a server (unmasked) and as a client (masked with a fresh key).
 *
 * <p>Tern: {@link FrameEncoder#encode} writes the header into a small buffer and, for a client,
 * masks the payload in place (the transport sends header and payload with one gathering write, so
 * there is no copy). Netty: {@link WebSocket08FrameEncoder} in an {@link EmbeddedChannel} with the
 * pooled allocator, given a retained duplicate of a pooled direct payload each time; it writes the
 * header into a new buffer, and for a client (or a small payload) copies the payload, masked, into
 * it. The encoded output is released at the head of the pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameEncodeBenchmark {

    /** Payload size in bytes. */
    @Param({"0", "16", "125", "1024", "65536", "1048576"})
    public int size;

    /** {@code server}: unmasked; {@code client}: masked. */
    @Param({"server", "client"})
    public String role;

    private FrameEncoder encoder;
    private ByteBuffer header;
    private ByteBuffer payload;

    private EmbeddedChannel netty;
    private ByteBuf nettyPayload;

    /** Builds both encoders and the payload. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean client = role.equals("client");
        byte[] bytes = Payloads.random(size, 7);
        encoder = new FrameEncoder(client ? Role.CLIENT : Role.SERVER, client ? MaskKeySource.secure() : null);
        header = ByteBuffer.allocateDirect(FrameEncoder.MAX_HEADER_SIZE);
        payload = ByteBuffer.allocateDirect(size);
        payload.put(bytes).flip();

        nettyPayload = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        nettyPayload.writeBytes(bytes);
        netty = NettyChannels.pooled(new NettyChannels.OutboundSink(), new WebSocket08FrameEncoder(client));
        if (!netty_encode()) {
            throw new IllegalStateException("Netty failed to encode");
        }
    }

    /** Releases Netty's buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        netty.finishAndReleaseAll();
        nettyPayload.release();
    }

    /**
     * Tern frames the payload.
     *
     * @return the header length (keeps the work observable)
     */
    @Benchmark
    public int tern_encode() {
        header.clear();
        encoder.encode(header, payload, true, 0, Opcode.BINARY);
        return header.position();
    }

    /**
     * Netty frames the payload.
     *
     * @return whether the write completed
     */
    @Benchmark
    public boolean netty_encode() {
        return netty.writeOneOutbound(new BinaryWebSocketFrame(nettyPayload.retainedDuplicate())).isSuccess();
    }
}
