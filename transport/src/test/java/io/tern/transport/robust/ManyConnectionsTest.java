package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 concurrent connections, 100 messages each (1 to 2,000 payload bytes, text and binary),
 * every message carrying its sequence number, length and CRC32; all echoed exactly once, in order,
 * intact; all closed cleanly.
 */
@Timeout(90)
class ManyConnectionsTest {

    private static final int TARGET_CONNECTIONS = 1000;
    private static final int MESSAGES = 100;
    private static final int WINDOW = 8;
    /** Text payloads mix 1- to 4-byte UTF-8 sequences. */
    private static final String[] GLYPHS = {"a", "Z", "7", " ", "é", "ß", "€", "✓", "😀", "𝄞"};

    /** Whether message {@code seq} of connection {@code id} is text, and its payload size in bytes. */
    static boolean isText(int id, int seq) {
        return ((id * 131 + seq * 7) & 1) == 0;
    }

    static int size(int id, int seq) {
        return 1 + new Random(id * 1_000_003L + seq).nextInt(2000);
    }

    /** Builds message {@code seq}: a header (seq, length, CRC32 of the payload) and the payload. */
    static ByteBuffer message(int id, int seq) {
        int size = size(id, seq);
        Random random = new Random(~(id * 1_000_003L + seq));
        byte[] payload;
        if (isText(id, seq)) {
            StringBuilder sb = new StringBuilder();
            int bytes = 0;
            while (bytes < size) {
                String g = GLYPHS[random.nextInt(GLYPHS.length)];
                int n = g.getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > size) {
                    g = "x";
                    n = 1;
                }
                sb.append(g);
                bytes += n;
            }
            payload = sb.toString().getBytes(StandardCharsets.UTF_8);
            String header = String.format("%08x%08x%08x", seq, payload.length, crc(payload, 0, payload.length));
            byte[] h = header.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer b = ByteBuffer.allocate(h.length + payload.length);
            return b.put(h).put(payload).flip();
        }
        payload = new byte[size];
        random.nextBytes(payload);
        ByteBuffer b = ByteBuffer.allocate(12 + size);
        b.putInt(seq).putInt(size).putInt((int) crc(payload, 0, size)).put(payload);
        return b.flip();
    }

    static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    /** One client connection: sends its messages, checks every echo against the sequence. */
    static final class Peer implements WebSocketHandler<Object> {
        final int id;
        final boolean onLoop;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        final AtomicInteger extra = new AtomicInteger();
        volatile WebSocket<Object> ws;
        private int nextToSend;
        private int expected;

        Peer(int id) {
            this.id = id;
            this.onLoop = id % 2 == 1;
        }

        private void problem(String what) {
            done.completeExceptionally(new AssertionError("connection " + id + ": " + what));
        }

        private void sendNext(WebSocket<Object> s) {
            if (nextToSend < MESSAGES) {
                int seq = nextToSend++;
                ByteBuffer m = message(id, seq);
                SendStatus status = isText(id, seq) ? s.sendText(m) : s.sendBinary(m);
                if (status == SendStatus.DROPPED || status == SendStatus.CLOSED) {
                    problem("send " + seq + " refused: " + status);
                }
            }
        }

        /** The off-loop half of the connections send everything from the test thread at once. */
        void sendAllFromThisThread() {
            for (int seq = 0; seq < MESSAGES; seq++) {
                ByteBuffer m = message(id, seq);
                SendStatus status = isText(id, seq) ? ws.sendText(m) : ws.sendBinary(m);
                if (status == SendStatus.DROPPED || status == SendStatus.CLOSED) {
                    problem("send " + seq + " refused: " + status);
                }
            }
        }

        @Override
        public void onOpen(WebSocket<Object> s) {
            ws = s;
            if (onLoop) {
                for (int i = 0; i < WINDOW; i++) {
                    sendNext(s);
                }
            }
        }

        private void received(WebSocket<Object> s, ByteBuffer data, boolean text) {
            if (expected >= MESSAGES) {
                extra.incrementAndGet(); // a duplicate, or a message never sent
                return;
            }
            int seq;
            int length;
            long checksum;
            int headerSize;
            byte[] all = Recorder.bytes(data);
            if (text) {
                if (all.length < 24) {
                    problem("short text message");
                    return;
                }
                String header = new String(all, 0, 24, StandardCharsets.US_ASCII);
                seq = Integer.parseUnsignedInt(header.substring(0, 8), 16);
                length = Integer.parseUnsignedInt(header.substring(8, 16), 16);
                checksum = Long.parseLong(header.substring(16, 24), 16);
                headerSize = 24;
            } else {
                if (all.length < 12) {
                    problem("short binary message");
                    return;
                }
                ByteBuffer b = ByteBuffer.wrap(all);
                seq = b.getInt();
                length = b.getInt();
                checksum = b.getInt() & 0xFFFF_FFFFL;
                headerSize = 12;
            }
            if (seq != expected) {
                problem("expected message " + expected + " but got " + seq + (seq < expected ? " (duplicate)" : " (lost or reordered)"));
                return;
            }
            if (text != isText(id, seq)) {
                problem("message " + seq + " came back as the wrong type");
                return;
            }
            if (length != size(id, seq) || all.length - headerSize != length) {
                problem("message " + seq + " length " + (all.length - headerSize) + ", sent " + size(id, seq));
                return;
            }
            if (crc(all, headerSize, length) != checksum) {
                problem("message " + seq + " fails its CRC32");
                return;
            }
            expected++;
            if (expected == MESSAGES) {
                done.complete(null);
                s.close();
            } else if (onLoop) {
                sendNext(s);
            }
        }

        @Override
        public void onText(WebSocket<Object> s, ByteBuffer utf8, boolean last) {
            received(s, utf8, true);
        }

        @Override
        public void onBinary(WebSocket<Object> s, ByteBuffer data, boolean last) {
            received(s, data, false);
        }

        @Override
        public void onClose(WebSocket<Object> s, int code, String reason, boolean clean) {
            closed.complete(new Closed(code, reason, clean));
            problem("closed before all echoes: " + code + " " + reason);
        }
    }

    /** The server side: echoes on the loop and records how each connection ended. */
    static final class Echo implements WebSocketHandler<Object> {
        final AtomicInteger opened = new AtomicInteger();
        final ConcurrentLinkedQueue<Closed> closes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        @Override
        public void onOpen(WebSocket<Object> ws) {
            opened.incrementAndGet();
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            SendStatus s = ws.sendText(utf8);
            if (s == SendStatus.DROPPED || s == SendStatus.CLOSED) {
                errors.add(new AssertionError("echo refused: " + s));
            }
        }

        @Override
        public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
            SendStatus s = ws.sendBinary(data);
            if (s == SendStatus.DROPPED || s == SendStatus.CLOSED) {
                errors.add(new AssertionError("echo refused: " + s));
            }
        }

        @Override
        public void onError(WebSocket<Object> ws, Throwable error) {
            errors.add(error);
        }

        @Override
        public void onClose(WebSocket<Object> ws, int code, String reason, boolean clean) {
            closes.add(new Closed(code, reason, clean));
        }
    }

    /** Free file descriptors of this process, or -1 when the platform does not tell. */
    private static long freeFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    @Test
    void thousandConnectionsHundredMessagesEachAllEchoedInOrderIntact() throws Exception {
        // Both ends live in this JVM: two descriptors per connection, plus slack for selectors etc.
        long free = freeFileDescriptors();
        int connections = free < 0 ? TARGET_CONNECTIONS : (int) Math.min(TARGET_CONNECTIONS, (free - 200) / 2);
        assumeTrue(connections >= 100, "only " + free + " free file descriptors (raise ulimit -n)");
        if (connections < TARGET_CONNECTIONS) {
            System.out.printf("ManyConnectionsTest: only %d free file descriptors, running %d connections instead of %d%n",
                    free, connections, TARGET_CONNECTIONS);
        }
        Echo echo = new Echo();
        long start = System.nanoTime();
        // No heartbeat: a slow run could outlast its 30 s interval, and its pings and pongs would be
        // counted among the frames checked below.
        ConnectionSettings quiet = ConnectionSettings.defaults().withHeartbeat(Duration.ZERO, Duration.ofSeconds(10));
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/echo", echo, quiet).build().start();
             WebSocketClient client = WebSocketClient.create(2)) {
            List<Peer> peers = new ArrayList<>();
            List<CompletableFuture<WebSocket<Object>>> connects = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Peer p = new Peer(i);
                peers.add(p);
                connects.add(client.connect(Support.uri(server.port(), "/echo"), p, quiet));
            }
            for (CompletableFuture<WebSocket<Object>> c : connects) {
                c.get(30, TimeUnit.SECONDS);
            }
            long connected = Support.millisSince(start);
            for (Peer p : peers) {
                if (!p.onLoop) {
                    p.sendAllFromThisThread();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Peer p : peers) {
                p.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (Peer p : peers) {
                Closed c = p.closed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertEquals(1000, c.code(), "connection " + p.id + " closed with " + c);
                assertTrue(c.clean(), "connection " + p.id + " closed uncleanly: " + c);
                assertEquals(0, p.extra.get(), "connection " + p.id + " got messages after its last echo");
            }
            await(() -> echo.closes.size() == connections, Duration.ofSeconds(10),
                    () -> "server saw " + echo.closes.size() + " closes");
            assertTrue(echo.errors.isEmpty(), () -> "server errors: " + echo.errors);
            for (Closed c : echo.closes) {
                assertEquals(1000, c.code(), "server side " + c);
                assertTrue(c.clean(), "server side " + c);
            }
            assertEquals(connections, echo.opened.get());
            await(() -> server.stats().connectionsClosed() == connections, Duration.ofSeconds(5),
                    () -> "server stats " + server.stats());
            assertEquals(connections, server.stats().connectionsOpened());
            assertEquals(connections, server.stats().closes(1000));
            assertEquals(0, server.stats().openConnections());
            assertEquals(0, server.openConnections());
            assertEquals(0, server.stats().rejectedHandshakes());
            // Data frames plus one close frame each way.
            long frames = (long) connections * (MESSAGES + 1);
            assertEquals(frames, server.stats().framesIn());
            assertEquals(frames, server.stats().framesOut());
            await(() -> client.stats().connectionsClosed() == connections, Duration.ofSeconds(5),
                    () -> "client stats " + client.stats());
            assertEquals(connections, client.stats().closes(1000));
            System.out.printf("ManyConnectionsTest: %d connections open in %d ms, all echoed and closed in %d ms%n",
                    connections, connected, Support.millisSince(start));
        }
    }
}
