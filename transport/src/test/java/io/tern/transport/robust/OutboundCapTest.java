package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.CloseCodes;
import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server-wide outbound cap ({@code WebSocketServer.Builder.maxOutboundBytes}): many peers that
 * never read, each owed large messages. Per-connection hard limits are set high (16 MiB) so only
 * the cap can act. Once the bytes queued for all peers pass the cap, the connections holding the
 * most are closed with 1008 (their queue dropped but the frame being written), the others keep
 * their messages and keep working, and the total comes back under the cap. One loop, so which
 * connection holds what is exact at each step.
 */
@Timeout(60)
class OutboundCapTest {

    private static final long CAP = 6L << 20;
    private static final int MESSAGE = 512 * 1024;
    private static final int SMALL = 4;
    /** 16 MiB owed to each big holder: even if the kernel takes 4 MiB of it, more than the cap alone. */
    private static final int ROUNDS = 32;
    private static final java.time.Duration TEN_SECONDS = java.time.Duration.ofSeconds(10);
    private static final String REASON = "slow consumer: server outbound memory over its cap";

    private static byte[] payload(int seed) {
        byte[] p = new byte[MESSAGE];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (seed * 31 + i * 7);
        }
        return p;
    }

    /** Collects the server side of every connection of a route, in order of opening; echoes text. */
    private static final class Collect implements WebSocketHandler<Object> {
        final ConcurrentLinkedQueue<WebSocket<Object>> sockets = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Integer> closes = new ConcurrentLinkedQueue<>();

        @Override
        public void onOpen(WebSocket<Object> ws) {
            sockets.add(ws);
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            ws.sendText(utf8);
        }

        @Override
        public void onClose(WebSocket<Object> ws, int code, String reason, boolean clean) {
            closes.add(code);
        }
    }

    /** Captures the transport's log records (System.Logger goes to java.util.logging). */
    private static final class Capture extends Handler implements AutoCloseable {
        final Logger logger = Logger.getLogger("io.tern.transport");
        final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        private final Level level = logger.getLevel();

        Capture() {
            logger.setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setLevel(level);
        }
    }

    private static <T> T onLoop(WebSocket<Object> ws, java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        ws.executor().execute(() -> {
            try {
                done.complete(task.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(20, TimeUnit.SECONDS);
    }

    @Test
    void theLargestHoldersAreClosedAndTheOthersKeepTheirMessages() throws Exception {
        try (Capture log = new Capture()) {
            run(log);
        }
    }

    @Test
    void sheddingDoesNotDependOnTheLogger() throws Exception {
        try (FailingLogger failing = FailingLogger.install()) {
            run(null);
            assertTrue(failing.calls() >= 2, "the shedding was logged (and the logger threw) " + failing.calls() + " times");
        }
    }

    private void run(Capture log) throws Exception {
        Collect smalls = new Collect();
        Collect bigs = new Collect();
        ConnectionSettings roomy = ConnectionSettings.defaults().withOutboundLimits(64 * 1024, 256 * 1024, 16L << 20);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .maxOutboundBytes(CAP)
                .route("/small", smalls, roomy)
                .route("/big", bigs, roomy)
                .build().start()) {
            List<RawPeer> smallPeers = new ArrayList<>();
            List<RawPeer> bigPeers = new ArrayList<>();
            try {
                for (int i = 0; i < SMALL; i++) {
                    RawPeer p = RawPeer.connect(server.port(), 0, 4096);
                    smallPeers.add(p);
                    p.upgrade("/small");
                }
                for (int i = 0; i < 2; i++) {
                    RawPeer p = RawPeer.connect(server.port(), 0, 4096);
                    bigPeers.add(p);
                    p.upgrade("/big");
                }
                Support.await(() -> smalls.sockets.size() == SMALL && bigs.sockets.size() == 2, TEN_SECONDS, () -> "all open");
                List<WebSocket<Object>> small = new ArrayList<>(smalls.sockets);
                List<WebSocket<Object>> big = new ArrayList<>(bigs.sockets);
                WebSocket<Object> any = small.get(0);

                // Each small peer is owed one message; nobody reads.
                for (int i = 0; i < SMALL; i++) {
                    WebSocket<Object> ws = small.get(i);
                    byte[] p = payload(i);
                    assertEquals(SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, onLoop(ws, () -> ws.sendBinary(ByteBuffer.wrap(p))));
                }
                // The two big holders are owed a message each per round, one loop task per round
                // (as publishes are), until both are shed.
                long peak = 0;
                int dropped = 0;
                int[] queuedPerBig = new int[2];
                for (int r = 0; r < ROUNDS; r++) {
                    int round = r;
                    long[] seen = onLoop(any, () -> {
                        long before = server.outboundBytes();
                        int drops = 0;
                        long most = before;
                        for (int b = 0; b < 2; b++) {
                            SendStatus s = big.get(b).sendBinary(ByteBuffer.wrap(payload(100 + round * 2 + b)));
                            if (s == SendStatus.DROPPED || s == SendStatus.CLOSED) {
                                drops++;
                            } else {
                                queuedPerBig[b]++;
                            }
                            most = Math.max(most, server.outboundBytes());
                        }
                        return new long[] {before, most, drops};
                    });
                    assertTrue(seen[0] <= CAP, "round " + r + " starts at " + seen[0] + " queued bytes, over the cap");
                    peak = Math.max(peak, seen[1]);
                    dropped += (int) seen[2];
                }
                System.out.printf("outbound cap %d: peak %d queued bytes within a task, %d sends refused after"
                        + " shedding, %d and %d messages queued to the big holders%n", CAP, peak, dropped,
                        queuedPerBig[0], queuedPerBig[1]);
                assertTrue(peak <= CAP + 2L * (MESSAGE + 14), "peak " + peak + " within a step and a message of the cap");
                assertTrue(dropped > 0, "sends to a shed connection are refused");
                long after = onLoop(any, server::outboundBytes);
                assertTrue(after <= CAP, "after shedding: " + after);

                // The big holders: whole frames, then 1008 with the reason, then the end.
                for (RawPeer p : bigPeers) {
                    Frame f;
                    int frames = 0;
                    while ((f = p.readFrame()).opcode() == Opcode.BINARY) {
                        assertEquals(MESSAGE, f.payload().length);
                        frames++;
                    }
                    assertEquals(Opcode.CLOSE, f.opcode());
                    assertEquals(CloseCodes.POLICY_VIOLATION, f.closeCode());
                    assertEquals(REASON, f.closeReason());
                    assertTrue(frames >= 1 && frames < ROUNDS, frames + " frames before the close");
                }
                Support.await(() -> bigs.closes.size() == 2, TEN_SECONDS, () -> "both big holders closed: " + bigs.closes);
                assertEquals(List.of(CloseCodes.POLICY_VIOLATION, CloseCodes.POLICY_VIOLATION), new ArrayList<>(bigs.closes));

                // The small peers got everything and still work.
                for (int i = 0; i < SMALL; i++) {
                    RawPeer p = smallPeers.get(i);
                    Frame f = p.readFrame();
                    assertEquals(Opcode.BINARY, f.opcode());
                    assertArrayEquals(payload(i), f.payload());
                    p.sendFrame(Opcode.TEXT, ("small " + i).getBytes(StandardCharsets.UTF_8));
                    assertEquals("small " + i, p.readFrame().text());
                }
                assertTrue(smalls.closes.isEmpty(), "no small holder was closed");
                Support.await(() -> server.outboundBytes() == 0, TEN_SECONDS, () -> "the count is back at zero: " + server.outboundBytes());
                assertEquals(2, server.stats().closes(CloseCodes.POLICY_VIOLATION));

                if (log != null) {
                    List<String> shed = log.messages.stream().filter(m -> m.contains("as a slow consumer")).toList();
                    assertEquals(2, shed.size(), "one record per connection shed: " + shed);
                    for (RawPeer p : bigPeers) {
                        assertTrue(shed.stream().anyMatch(m -> m.contains(":" + p.localPort() + " ")),
                                "the record names the peer " + p.localPort() + ": " + shed);
                    }
                    assertTrue(shed.get(0).contains("outbound cap of " + CAP), shed.get(0));
                }
            } finally {
                for (RawPeer p : smallPeers) {
                    p.close();
                }
                for (RawPeer p : bigPeers) {
                    p.close();
                }
            }
        }
    }

    @Test
    void theCapMustBeAtLeast64KiB() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketServer.builder().maxOutboundBytes(65535));
    }
}
