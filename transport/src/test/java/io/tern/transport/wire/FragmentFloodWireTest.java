package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.CloseCodes;
import io.tern.codec.Opcode;
import io.tern.codec.ReaderSettings;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that make the server do work per frame rather than per byte: a message of a million
 * 1-byte continuation fragments is cut off at the fragment limit with 1008, and a stream of empty
 * (legal) messages is read at most one 64 KiB read per loop pass, so another connection on the
 * same loop keeps being served. One loop, so the connections really share it.
 */
@Timeout(60)
class FragmentFloodWireTest {

    /** Echoes text; counts data deliveries per connection path. */
    private static final class Counting implements WebSocketHandler<Object> {
        final AtomicLong deliveries = new AtomicLong();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            deliveries.incrementAndGet();
            if (utf8.hasRemaining()) {
                ws.sendText(utf8);
            }
        }

        @Override
        public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
            deliveries.incrementAndGet();
        }

        @Override
        public void onClose(WebSocket<Object> ws, int code, String reason, boolean clean) {
            closed.complete(code);
        }
    }

    /** Writes {@code frames} frames built by {@code frame} in 64 KiB writes, from its own thread; stops on error. */
    private static Thread writer(RawPeer peer, int frames, java.util.function.IntFunction<byte[]> frame) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream batch = new ByteArrayOutputStream(70_000);
            try {
                for (int i = 0; i < frames; i++) {
                    batch.writeBytes(frame.apply(i));
                    if (batch.size() >= 64 * 1024 || i == frames - 1) {
                        peer.write(batch.toByteArray());
                        batch.reset();
                    }
                }
            } catch (IOException expected) {
                // the server closed after its close frame (or reset while lingering): flood over
            }
        }, "flooder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void assertEchoes(RawPeer other, String text) throws IOException {
        other.sendFrame(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
        Frame f = other.readFrame();
        assertEquals(Opcode.TEXT, f.opcode());
        assertEquals(text, f.text());
    }

    @Test
    void aMillionOneByteContinuationFragmentsGet1008QuicklyAndTheLoopServesAnotherConnection() throws Exception {
        Counting flooded = new Counting();
        Counting echo = new Counting();
        ConnectionSettings fragments = ConnectionSettings.defaults().withDelivery(ReaderSettings.Delivery.FRAGMENTS);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/flood", flooded, fragments)
                .route("/echo", echo)
                .build().start();
             RawPeer flooder = RawPeer.connect(server.port(), 1 << 20, 0);
             RawPeer other = RawPeer.upgraded(server.port(), "/echo")) {
            flooder.upgrade("/flood");
            byte[] first = Frame.encode(false, 0, Opcode.BINARY, true, new byte[] {1});
            byte[] next = Frame.encode(false, 0, Opcode.CONTINUATION, true, new byte[] {1});
            long start = System.nanoTime();
            Thread t = writer(flooder, 1_000_000, i -> i == 0 ? first : next);
            Frame close = flooder.readFrame();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Opcode.CLOSE, close.opcode());
            assertEquals(CloseCodes.POLICY_VIOLATION, close.closeCode());
            assertEquals("message spans more frames than the configured maximum fragments", close.closeReason());
            assertEquals(CloseCodes.POLICY_VIOLATION, flooded.closed.get(10, TimeUnit.SECONDS));
            assertEquals(ReaderSettings.DEFAULT_MAX_FRAGMENTS, flooded.deliveries.get(),
                    "one delivery per allowed fragment, none after the limit");
            assertTrue(millis < 5000, "1008 after " + millis + " ms");
            assertEchoes(other, "still served");
            t.join(20_000);
            assertEchoes(other, "still served after the flood");
        }
    }

    @Test
    void emptyContinuationFramesAreCutOffLikeAnyOther() throws Exception {
        Counting flooded = new Counting();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/flood", flooded, ConnectionSettings.defaults().withMaxFragments(100))
                .build().start();
             RawPeer flooder = RawPeer.connect(server.port(), 1 << 20, 0)) {
            flooder.upgrade("/flood");
            byte[] first = Frame.encode(false, 0, Opcode.TEXT, true, new byte[0]);
            byte[] next = Frame.encode(false, 0, Opcode.CONTINUATION, true, new byte[0]);
            Thread t = writer(flooder, 1_000_000, i -> i == 0 ? first : next);
            Frame close = flooder.readFrame();
            assertEquals(CloseCodes.POLICY_VIOLATION, close.closeCode());
            assertEquals(CloseCodes.POLICY_VIOLATION, flooded.closed.get(10, TimeUnit.SECONDS));
            assertEquals(0, flooded.deliveries.get(), "whole-message delivery: the message never completed");
            t.join(20_000);
        }
    }

    /**
     * Empty unfragmented messages are legal, so no limit closes the peer: what bounds them is the
     * loop, which reads each ready connection once per pass (at most its 64 KiB read buffer, about
     * 10,900 empty masked frames), so the echo connection's round trips stay short meanwhile.
     */
    @Test
    void aStreamOfEmptyMessagesDoesNotStarveAnotherConnection() throws Exception {
        Counting flooded = new Counting();
        Counting echo = new Counting();
        int frames = 3_000_000; // 18 MB of 6-byte empty text frames
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/flood", flooded)
                .route("/echo", echo)
                .build().start();
             RawPeer flooder = RawPeer.connect(server.port(), 1 << 20, 0);
             RawPeer other = RawPeer.upgraded(server.port(), "/echo")) {
            flooder.upgrade("/flood");
            byte[] empty = Frame.encode(true, 0, Opcode.TEXT, true, new byte[0]);
            Thread t = writer(flooder, frames, i -> empty);
            long worst = 0;
            int roundTrips = 0;
            while (t.isAlive() && roundTrips < 200) {
                long start = System.nanoTime();
                assertEchoes(other, "rt " + roundTrips);
                worst = Math.max(worst, System.nanoTime() - start);
                roundTrips++;
            }
            t.join(30_000);
            assertTrue(roundTrips > 0, "the flood ended before any round trip");
            long worstMillis = TimeUnit.NANOSECONDS.toMillis(worst);
            System.out.printf("empty-message flood: %d round trips during it, worst %d ms, %d messages delivered so far%n",
                    roundTrips, worstMillis, flooded.deliveries.get());
            assertTrue(worstMillis < 2000, "worst round trip during the flood: " + worstMillis + " ms");
            assertEchoes(other, "after");
            assertTrue(!flooded.closed.isDone(), "empty messages are legal: the flooder stays open");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (flooded.deliveries.get() < frames && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(frames, flooded.deliveries.get(), "every empty message was delivered");
        }
    }
}
