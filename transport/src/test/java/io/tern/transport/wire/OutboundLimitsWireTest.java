package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every byte queued for a peer counts toward that connection's limits, control frames included: a
 * peer that floods pings and never reads gets its pongs coalesced (RFC 6455 §5.5.3) once its
 * queue is past the high watermark, and pings and pongs the application sends are admitted like
 * data.
 */
@Timeout(60)
class OutboundLimitsWireTest {

    private static final int HIGH_WATERMARK = 256 * 1024;
    private static final int PINGS_PER_BURST = 1000;
    private static final int BURSTS = 160; // 160,000 pings of 125 bytes: about 21 MB of pongs unanswered

    private static byte[] pingPayload(int seq) {
        byte[] p = new byte[125];
        java.util.Arrays.fill(p, (byte) 'p');
        ByteBuffer.wrap(p).putInt(0, seq);
        return p;
    }

    @Test
    void aPingFloodFromAPeerThatDoesNotReadStaysUnderTheHighWatermarkAndTheLatestPingIsAnswered() throws Exception {
        AtomicLong maxQueued = new AtomicLong();
        AtomicReference<WebSocket<Object>> flooded = new AtomicReference<>();
        WebSocketHandler<Object> handler = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Object> ws) {
                flooded.compareAndSet(null, ws);
            }

            @Override
            public void onPing(WebSocket<Object> ws, ByteBuffer payload) {
                maxQueued.accumulateAndGet(ws.queuedBytes(), Math::max); // on the loop: exact
            }

            @Override
            public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
                ws.sendText(utf8);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/p", handler, ConnectionSettings.defaults().withOutboundLimits(64 * 1024, HIGH_WATERMARK, 4L << 20))
                .build().start();
             RawPeer flooder = RawPeer.connect(server.port(), 1 << 20, 4096);
             RawPeer other = RawPeer.connect(server.port())) {
            flooder.upgrade("/p");
            other.upgrade("/p");
            int last = BURSTS * PINGS_PER_BURST - 1;
            for (int b = 0; b < BURSTS; b++) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream(PINGS_PER_BURST * 131);
                for (int i = 0; i < PINGS_PER_BURST; i++) {
                    burst.write(Frame.clientFrame(Opcode.PING, pingPayload(b * PINGS_PER_BURST + i)));
                }
                flooder.write(burst.toByteArray());
            }
            // Another connection of the same loop is served meanwhile.
            other.sendFrame(Opcode.TEXT, "still here".getBytes(StandardCharsets.UTF_8));
            assertEquals("still here", new String(other.readFrame().payload(), StandardCharsets.UTF_8));

            // Now read: pongs, in ping order, ending with the answer to the very last ping.
            flooder.timeoutMillis(10_000);
            int pongs = 0;
            int previous = -1;
            while (true) {
                Frame f = flooder.readFrame();
                assertEquals(Opcode.PONG, f.opcode());
                int seq = ByteBuffer.wrap(f.payload()).getInt(0);
                assertTrue(seq > previous, "pongs answer pings in order: " + seq + " after " + previous);
                previous = seq;
                pongs++;
                if (seq == last) {
                    assertArrayEquals(pingPayload(last), f.payload());
                    break;
                }
            }
            long queuedMax = maxQueued.get();
            assertTrue(queuedMax <= HIGH_WATERMARK + 139,
                    "queued bytes stayed at the high watermark plus one pong: " + queuedMax);
            assertTrue(pongs < BURSTS * PINGS_PER_BURST, "pongs were coalesced: " + pongs);
            assertTrue(flooded.get().isOpen(), "coalescing is not a reason to close");
            flooder.sendFrame(Opcode.CLOSE, Frame.closePayload(1000, ""));
            Frame close = flooder.readFrame();
            assertEquals(Opcode.CLOSE, close.opcode());
        }
    }

    @Test
    void pingsAndPongsTheApplicationSendsAreAdmittedLikeData() throws Exception {
        AtomicReference<WebSocket<Object>> ws = new AtomicReference<>();
        WebSocketHandler<Object> handler = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Object> socket) {
                ws.set(socket);
            }
        };
        ConnectionSettings tight = ConnectionSettings.defaults().withOutboundLimits(0, 1024, 2048);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/p", handler, tight).build().start();
             RawPeer peer = RawPeer.connect(server.port(), 0, 4096)) {
            peer.upgrade("/p");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ws.get() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            WebSocket<Object> socket = ws.get();
            AtomicReference<SendStatus> status = new AtomicReference<>();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            socket.executor().execute(() -> {
                // On the loop, so nothing is written between the sends: 20 pongs of 125 bytes
                // (2.8 KB with headers) cannot all fit under a 2 KiB hard limit.
                SendStatus s = SendStatus.QUEUED;
                for (int i = 0; i < 20 && s != SendStatus.DROPPED; i++) {
                    s = socket.sendPong(ByteBuffer.wrap(new byte[125]));
                }
                status.set(s);
                done.countDown();
            });
            assertTrue(done.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(SendStatus.DROPPED, status.get(), "a pong past the hard limit is refused");
            Frame f;
            do {
                f = peer.readFrame();
            } while (f.opcode() == Opcode.PONG);
            assertEquals(Opcode.CLOSE, f.opcode(), "then the slow-consumer policy (close) applies");
            assertEquals(1008, ByteBuffer.wrap(f.payload()).getShort() & 0xffff);
        }
    }
}
