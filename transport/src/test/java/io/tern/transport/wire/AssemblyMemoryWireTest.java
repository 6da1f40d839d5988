package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.internal.DirectBufferPool;
import io.tern.transport.internal.EventLoop;
import io.tern.transport.internal.EventLoopGroup;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a message costs the server to assemble, over real sockets: the same message sent whole and
 * in fragments of 1, 125, 16 KiB and 128 KiB bytes is echoed byte for byte, and on each of two
 * sends the server's loop thread allocates (heap, {@code getCurrentThreadAllocatedBytes}) and its
 * buffer pool allocates and lends (direct) at most a small constant factor of the message size.
 * Assembly that grows its buffer to the running length on every fragment costs memory quadratic in
 * the number of fragments and fails here.
 */
@ExtendWith(NoLeakedLoops.class)
@Timeout(120)
class AssemblyMemoryWireTest {

    private static final int KIB = 1024;
    private static final int MIB = Payloads.MIB;
    /** Allowed cost as a multiple of the message size (assembly doubling, plus the echo). */
    private static final long FACTOR = 4;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(8 * MIB, 0),
                Arguments.of(8 * MIB, 128 * KIB),
                Arguments.of(8 * MIB, 16 * KIB),
                Arguments.of(4 * MIB, 125),
                Arguments.of(2 * MIB, 1));
    }

    @ParameterizedTest(name = "{0} bytes in fragments of {1} (0: whole)")
    @MethodSource("cases")
    void assemblyCostsAConstantFactorOfTheMessage(int size, int fragment) throws Exception {
        ConnectionSettings settings = ConnectionSettings.defaults()
                .withMaxFrameSize(16L * MIB)
                .withMaxMessageSize(16L * MIB)
                .withMaxFragments(4 * MIB) // this test is about memory with tiny fragments, not their count
                .withOutboundLimits(MIB, 64L * MIB, 128L * MIB);
        WebSocketHandler<Object> echo = new WebSocketHandler<>() {
            @Override
            public void onBinary(WebSocket<Object> socket, ByteBuffer data, boolean last) {
                socket.sendBinary(data);
            }
        };
        byte[] message = new byte[size];
        new SplittableRandom(size + fragment).nextBytes(message);
        byte[] wire = fragments(message, fragment == 0 ? size : fragment);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", echo, settings).build().start();
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.timeoutMillis(60_000);
            peer.upgrade("/echo");
            EventLoop loop = onlyLoop(server);
            DirectBufferPool pool = pool(loop);
            for (int send = 1; send <= 2; send++) {
                Snapshot before = snapshot(loop, pool, true);
                peer.write(wire);
                assertArrayEquals(message, readMessage(peer), "echo of send " + send);
                Snapshot after = snapshot(loop, pool, false);
                long heap = after.threadAllocated - before.threadAllocated;
                long allocated = after.poolAllocated - before.poolAllocated;
                String what = String.format("send %d of %d bytes in fragments of %d: loop thread allocated %d heap bytes,"
                        + " pool allocated %d direct bytes, lent at most %d", send, size, fragment, heap, allocated,
                        after.peakLent);
                assertTrue(heap <= FACTOR * size, what);
                assertTrue(allocated <= FACTOR * size, what);
                assertTrue(after.peakLent - before.lent <= FACTOR * size, what);
                assertEquals(before.lent, after.lent, "nothing stays lent once the echo is out; " + what);
            }
        }
    }

    /** The message as masked binary frames of {@code fragment} payload bytes (the last may be shorter). */
    private static byte[] fragments(byte[] message, int fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + (message.length / fragment + 1) * 14);
        int at = 0;
        do {
            int n = Math.min(fragment, message.length - at);
            boolean fin = at + n == message.length;
            int opcode = at == 0 ? 0x2 : 0x0;
            byte[] piece = new byte[n];
            System.arraycopy(message, at, piece, 0, n);
            out.writeBytes(Frame.encode(fin, 0, opcode, true, piece));
            at += n;
        } while (at < message.length);
        return out.toByteArray();
    }

    /** Reads one data message, whatever its fragmentation, and returns its payload. */
    private static byte[] readMessage(RawPeer peer) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Frame frame = peer.readFrame();
        assertEquals(0x2, frame.opcode(), () -> "expected the binary echo, got " + frame);
        got.writeBytes(frame.payload());
        Frame next = frame;
        while (!next.fin()) {
            next = peer.readFrame();
            assertEquals(0x0, next.opcode(), "continuation of the echo");
            got.writeBytes(next.payload());
        }
        return got.toByteArray();
    }

    /** The loop's own view of its costs, read on the loop thread (the pool is not thread-safe). */
    private record Snapshot(long threadAllocated, long poolAllocated, long lent, long peakLent) {
    }

    private static Snapshot snapshot(EventLoop loop, DirectBufferPool pool, boolean resetPeak) throws Exception {
        CompletableFuture<Snapshot> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (resetPeak) {
                pool.resetPeakLentBytes();
            }
            long thread = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getCurrentThreadAllocatedBytes();
            result.complete(new Snapshot(thread, pool.allocatedBytes(), pool.lentBytes(), pool.peakLentBytes()));
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    /** The server's only loop; the group is private to the server, so the test reaches in. */
    private static EventLoop onlyLoop(WebSocketServer server) throws ReflectiveOperationException {
        Field group = WebSocketServer.class.getDeclaredField("group");
        group.setAccessible(true);
        return ((EventLoopGroup) group.get(server)).loops().get(0);
    }

    private static DirectBufferPool pool(EventLoop loop) throws ReflectiveOperationException {
        Method buffers = EventLoop.class.getDeclaredMethod("buffers");
        buffers.setAccessible(true);
        return (DirectBufferPool) buffers.invoke(loop);
    }
}
