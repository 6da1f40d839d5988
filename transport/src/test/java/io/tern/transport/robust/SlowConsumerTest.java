package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.SlowConsumerPolicy;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that stops reading must cost the server one bounded queue and nothing else: its own
 * messages are dropped (or it is closed), every other connection streams on undisturbed.
 */
@Timeout(60)
class SlowConsumerTest {

    private static final int LOW = 16 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int HARD = 256 * 1024;
    private static final long CLOSING_TIMEOUT_MS = 300;
    private static final int SLOW_MESSAGE = 8 * 1024;
    private static final int CLIENTS = 100;
    private static final int STREAM = 200;
    private static final int WINDOW = 4;

    // ------------------------------------------------------------------ payloads

    static byte[] payload(int seq, int size) {
        byte[] p = new byte[size];
        for (int i = 4; i < size; i++) {
            p[i] = (byte) (seq * 7 + i);
        }
        ByteBuffer.wrap(p).putInt(0, seq);
        return p;
    }

    static int checkPayload(byte[] p, int size) {
        assertEquals(size, p.length, "payload length");
        int seq = ByteBuffer.wrap(p).getInt(0);
        for (int i = 4; i < size; i++) {
            if (p[i] != (byte) (seq * 7 + i)) {
                fail("payload of message " + seq + " corrupt at byte " + i);
            }
        }
        return seq;
    }

    /** Sends to the slow connection from its own thread (the off-loop path) until stopped. */
    static final class Flooder extends Thread {
        final WebSocket<Object> ws;
        final List<Integer> accepted = new ArrayList<>();
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger closedStatuses = new AtomicInteger();
        final AtomicLong firstDropAt = new AtomicLong();
        final AtomicReference<SendStatus> lastStatus = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        Flooder(WebSocket<Object> ws) {
            super("robust-flooder");
            this.ws = ws;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                int seq = 0;
                // First fill the kernel's buffers one message at a time, until the queue stops
                // draining: from then on the consumer is really stuck, not just briefly outpaced.
                while (!stop) {
                    SendStatus s = ws.sendBinary(ByteBuffer.wrap(payload(seq, SLOW_MESSAGE)));
                    lastStatus.set(s);
                    if (s != SendStatus.QUEUED) {
                        throw new AssertionError("message " + seq + " refused while filling: " + s);
                    }
                    accepted.add(seq++);
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                    while (ws.queuedBytes() > 0 && System.nanoTime() - until < 0) {
                        Thread.sleep(1);
                    }
                    if (ws.queuedBytes() > 0) {
                        break;
                    }
                }
                for (; !stop; seq++) {
                    SendStatus s = ws.sendBinary(ByteBuffer.wrap(payload(seq, SLOW_MESSAGE)));
                    lastStatus.set(s);
                    switch (s) {
                        case QUEUED, QUEUED_ABOVE_HIGH_WATERMARK -> accepted.add(seq);
                        case DROPPED -> {
                            drops.incrementAndGet();
                            firstDropAt.compareAndSet(0, System.nanoTime());
                            Thread.sleep(1);
                        }
                        case CLOSED -> {
                            closedStatuses.incrementAndGet();
                            return;
                        }
                        default -> throw new AssertionError(s);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        void finish() throws InterruptedException {
            stop = true;
            join(10_000);
            assertFalse(isAlive(), "flooder did not stop");
        }
    }

    /** A well-behaved client: keeps WINDOW messages in flight and checks every echo in turn. */
    static final class Streamer implements WebSocketHandler<Object> {
        final int id;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        final AtomicInteger extra = new AtomicInteger();
        volatile WebSocket<Object> ws;
        private int nextToSend;
        private int received;

        Streamer(int id) {
            this.id = id;
        }

        static String message(int id, int seq) {
            return "c" + id + "#" + seq + "#" + "abcdefghij".repeat((id * 31 + seq * 17) % 40);
        }

        private void sendNext(WebSocket<Object> s) {
            if (nextToSend < STREAM) {
                SendStatus status = s.sendText(message(id, nextToSend++));
                if (status != SendStatus.QUEUED) {
                    done.completeExceptionally(new AssertionError("client " + id + " send refused: " + status));
                }
            }
        }

        @Override
        public void onOpen(WebSocket<Object> s) {
            ws = s;
            for (int i = 0; i < WINDOW; i++) {
                sendNext(s);
            }
        }

        @Override
        public void onText(WebSocket<Object> s, ByteBuffer utf8, boolean last) {
            if (received >= STREAM) {
                extra.incrementAndGet(); // a duplicate, or a message never sent
                return;
            }
            String got = Recorder.text(utf8);
            String want = message(id, received);
            if (!got.equals(want)) {
                done.completeExceptionally(new AssertionError("client " + id + " expected echo " + received
                        + " but got " + got.substring(0, Math.min(30, got.length()))));
                return;
            }
            received++;
            if (received == STREAM) {
                done.complete(null);
            } else {
                sendNext(s);
            }
        }

        @Override
        public void onBinary(WebSocket<Object> s, ByteBuffer data, boolean last) {
            done.completeExceptionally(new AssertionError("client " + id + " got an unexpected binary message"));
        }

        @Override
        public void onClose(WebSocket<Object> s, int code, String reason, boolean clean) {
            closed.complete(new Closed(code, reason, clean));
            done.completeExceptionally(new AssertionError("client " + id + " closed early: " + code + " " + reason));
        }
    }

    private static ConnectionSettings slowSettings(SlowConsumerPolicy policy) {
        return ConnectionSettings.defaults()
                .withOutboundLimits(LOW, HIGH, HARD)
                .withSlowConsumerPolicy(policy)
                .withClosingTimeout(Duration.ofMillis(CLOSING_TIMEOUT_MS));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SlowConsumerPolicy.class)
    void slowConsumerIsContainedWhileHundredOthersStreamUndisturbed(SlowConsumerPolicy policy) throws Exception {
        Recorder echo = new Recorder(true);
        Recorder slowRec = new Recorder(false);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/echo", echo)
                .route("/slow", slowRec, slowSettings(policy))
                .build().start();
             WebSocketClient client = WebSocketClient.create(2);
             RawPeer slow = RawPeer.connect(server.port(), 0, 4096)) {
            slow.upgrade("/slow");
            WebSocket<Object> slowWs = slowRec.nextOpen();
            Track st = slowRec.track(slowWs);
            Flooder flooder = new Flooder(slowWs);
            flooder.start();
            try {
                await(() -> flooder.firstDropAt.get() != 0, Duration.ofSeconds(20),
                        () -> "the slow consumer's queue never reached its hard limit; flooder failure: " + flooder.failure.get());
                int dropsBeforeStreams = flooder.drops.get();

                List<Streamer> streamers = new ArrayList<>();
                List<CompletableFuture<WebSocket<Object>>> connects = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    Streamer s = new Streamer(i);
                    streamers.add(s);
                    connects.add(client.connect(Support.uri(server.port(), "/echo"), s));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (CompletableFuture<WebSocket<Object>> c : connects) {
                    c.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                for (Streamer s : streamers) {
                    s.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }

                if (policy == SlowConsumerPolicy.DROP) {
                    assertTrue(flooder.drops.get() > dropsBeforeStreams,
                            "the slow consumer should have stayed at its limit while the others streamed");
                    assertFalse(st.closed.isDone(), () -> "DROP must keep the connection open: " + st.closed.join());
                    assertTrue(slowWs.isOpen());
                    flooder.finish();
                    assertNull(flooder.failure.get());
                    assertEquals(0, flooder.closedStatuses.get());
                    assertEquals(SendStatus.DROPPED, flooder.lastStatus.get());
                    await(() -> server.stats().drops() == flooder.drops.get(), Duration.ofSeconds(5),
                            () -> "server counted " + server.stats().drops() + " drops, the sender saw " + flooder.drops.get());
                    // The consumer reads at last: exactly the accepted messages, in order, intact.
                    for (int expected : flooder.accepted) {
                        Frame f = slow.readFrame();
                        assertEquals(Opcode.BINARY, f.opcode());
                        assertTrue(f.fin());
                        assertEquals(expected, checkPayload(f.payload(), SLOW_MESSAGE), "message order on the slow connection");
                    }
                    slow.sendClose(1000);
                    Frame reply = slow.readFrame();
                    assertEquals(Opcode.CLOSE, reply.opcode(), "a dropped message arrived after all");
                    assertEquals(1000, reply.closeCode());
                    assertNull(slow.readFrameOrEnd());
                    Closed c = st.closed.get(5, TimeUnit.SECONDS);
                    assertEquals(1000, c.code());
                    assertTrue(c.clean());
                } else {
                    Closed c = st.closed.get(5, TimeUnit.SECONDS);
                    assertEquals(1008, c.code(), "CLOSE policy closes with 1008: " + c);
                    assertFalse(c.clean(), "the consumer never answered the close frame");
                    long afterDrop = Support.millisBetween(flooder.firstDropAt.get(), st.closedAtNanos());
                    assertTrue(afterDrop >= CLOSING_TIMEOUT_MS - 50,
                            "TCP closed " + afterDrop + " ms after the drop, before the closing timeout");
                    assertTrue(afterDrop <= CLOSING_TIMEOUT_MS + 1500, "TCP closed only " + afterDrop + " ms after the drop");
                    flooder.join(5000);
                    assertFalse(flooder.isAlive(), "sends kept being accepted after the 1008 close");
                    assertNull(flooder.failure.get());
                    assertEquals(SendStatus.CLOSED, flooder.lastStatus.get());
                    assertEquals(SendStatus.CLOSED, slowWs.sendText("after close"));
                    assertEquals(1, server.stats().closes(1008));
                    // The consumer reads what the kernel still held, then the end of the stream.
                    List<Frame> frames = slow.readFramesToEnd();
                    int i = 0;
                    for (Frame f : frames) {
                        if (f.opcode() == Opcode.CLOSE) {
                            assertEquals(1008, f.closeCode());
                            assertEquals(frames.size() - 1, i, "nothing after the close frame");
                        } else {
                            assertEquals(Opcode.BINARY, f.opcode());
                            assertEquals(flooder.accepted.get(i), checkPayload(f.payload(), SLOW_MESSAGE));
                        }
                        i++;
                    }
                }
                assertEquals(1, st.closeCalls.get());

                for (Streamer s : streamers) {
                    s.ws.close();
                }
                for (Streamer s : streamers) {
                    Closed c = s.closed.get(10, TimeUnit.SECONDS);
                    assertEquals(1000, c.code());
                    assertTrue(c.clean());
                    assertEquals(0, s.extra.get(), "client " + s.id + " got messages after its last echo");
                }
                await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                        () -> "open connections still " + server.openConnections());
                assertEquals(CLIENTS + 1, server.stats().connectionsClosed());
            } finally {
                flooder.stop = true;
            }
        }
    }

    // ------------------------------------------------------------------ onDrain

    @Test
    void queueAboveHighWatermarkIsFollowedByExactlyOneDrain() throws Exception {
        Recorder rec = new Recorder(false);
        int size = 4 * 1024;
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/drain", rec, ConnectionSettings.defaults()
                        .withOutboundLimits(LOW, HIGH, 4L << 20).withSlowConsumerPolicy(SlowConsumerPolicy.DROP))
                .build().start();
             RawPeer peer = RawPeer.connect(server.port(), 0, 4096)) {
            peer.upgrade("/drain");
            WebSocket<Object> ws = rec.nextOpen();
            Track t = rec.track(ws);
            int seq = 0;
            for (int round = 1; round <= 3; round++) {
                int first = seq;
                // Fill the kernel buffers one message at a time, until the queue stops draining.
                while (true) {
                    assertEquals(SendStatus.QUEUED, ws.sendBinary(ByteBuffer.wrap(payload(seq++, size))));
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                    while (ws.queuedBytes() > 0 && System.nanoTime() - until < 0) {
                        Thread.sleep(1);
                    }
                    if (ws.queuedBytes() > 0 && !drainsWithin(ws, 150)) {
                        break; // the kernel takes nothing more: its buffers are full
                    }
                    assertTrue(seq - first < 100_000, "kernel buffers never filled");
                }
                // Now the queue only grows: send until above the high watermark, and a few more.
                SendStatus s;
                do {
                    s = ws.sendBinary(ByteBuffer.wrap(payload(seq++, size)));
                    assertTrue(s == SendStatus.QUEUED || s == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, "status " + s);
                } while (s == SendStatus.QUEUED);
                for (int i = 0; i < 3; i++) {
                    assertEquals(SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, ws.sendBinary(ByteBuffer.wrap(payload(seq++, size))));
                }
                Thread.sleep(300);
                assertEquals(round - 1, t.drains.get(), "onDrain while the consumer is not reading");
                // The consumer resumes and reads everything of this round.
                for (int expected = first; expected < seq; expected++) {
                    Frame f = peer.readFrame();
                    assertEquals(Opcode.BINARY, f.opcode());
                    assertEquals(expected, checkPayload(f.payload(), size));
                }
                int r = round;
                await(() -> t.drains.get() >= r, Duration.ofSeconds(5), () -> "no onDrain after the queue drained");
                Thread.sleep(200);
                assertEquals(round, t.drains.get(), "exactly one onDrain per episode above the high watermark");
                assertEquals(0, ws.queuedBytes());
            }
            for (long q : t.queuedAtDrain) {
                assertTrue(q <= LOW, "onDrain with " + q + " bytes still queued, above the low watermark");
            }
            assertTrue(ws.isOpen());
            assertEquals(0, server.stats().drops());
        }
    }

    /**
     * Whether the queue shrinks within {@code millis}: a loop that was only slow to flush (a busy
     * machine) still makes progress, a peer whose kernel buffers are full lets none happen.
     */
    private static boolean drainsWithin(WebSocket<?> ws, long millis) throws InterruptedException {
        long before = ws.queuedBytes();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - until < 0) {
            if (ws.queuedBytes() < before) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
