package io.tern.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Half-open TCP under load: 200 peers in a child JVM are frozen with {@code SIGSTOP}, so their
 * sockets stay open in the kernel (no FIN, no RST) while nothing answers, and 40 connections in
 * this JVM keep echoing. The server's heartbeat (ping every 500 ms, pong due within 1 s) must
 * close every frozen peer as 1006 (not clean), bring its counters back to exactly the live
 * connections, free what the frozen connections held, and leave the live ones echoing.
 */
@Timeout(90)
class HalfOpenUnderLoadTest {

    private static final int FROZEN = 200;
    private static final int LIVE = 40;
    // short, yet with room for a machine whose cores are shared: a live peer must never miss a pong
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    /** Server side of the connections on one route: who is open, how each one closed. */
    private static final class Side implements WebSocketHandler<Void> {
        final Set<WebSocket<Void>> open = ConcurrentHashMap.newKeySet();
        final Set<WebSocket<Void>> all = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> closes = new ConcurrentLinkedQueue<>();
        final AtomicInteger pongs = new AtomicInteger();
        final Set<WebSocket<Void>> ponged = ConcurrentHashMap.newKeySet();

        @Override
        public void onOpen(WebSocket<Void> ws) {
            all.add(ws);
            open.add(ws);
        }

        @Override
        public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
            ws.sendText(utf8);
        }

        @Override
        public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
            ws.sendBinary(data);
        }

        @Override
        public void onPong(WebSocket<Void> ws, ByteBuffer payload) {
            pongs.incrementAndGet();
            ponged.add(ws);
        }

        @Override
        public void onClose(WebSocket<Void> ws, int code, String reason, boolean clean) {
            open.remove(ws);
            closes.add(code + (clean ? " clean" : " not clean"));
        }
    }

    /** A connection of this JVM that sends the next message only when the last one came back intact. */
    private static final class LiveEcho implements WebSocketHandler<Void> {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong verified = new AtomicLong();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        volatile String expected;
        volatile WebSocket<Void> ws;

        /** Sends the next message if the previous one has come back. */
        void tick() {
            WebSocket<Void> s = ws;
            if (s == null || expected != null || !s.isOpen()) {
                return;
            }
            String m = "live " + sent.incrementAndGet() + " " + "x".repeat((int) (sent.get() % 700));
            expected = m;
            SendStatus status = s.sendText(m);
            if (status == SendStatus.CLOSED) {
                problems.add("send refused: " + status);
            }
        }

        @Override
        public void onText(WebSocket<Void> s, ByteBuffer utf8, boolean last) {
            String got = StandardCharsets.UTF_8.decode(utf8).toString();
            if (!got.equals(expected)) {
                problems.add("echo " + got.substring(0, Math.min(20, got.length())) + " for " + expected);
            } else {
                verified.incrementAndGet();
            }
            expected = null;
        }

        @Override
        public void onClose(WebSocket<Void> s, int code, String reason, boolean clean) {
            problems.add("closed " + code + " " + reason);
        }
    }

    @Test
    void frozenPeersAreClosedByTheHeartbeatWhileLiveConnectionsKeepEchoing() throws Exception {
        ConnectionSettings heartbeat = ConnectionSettings.defaults().withHeartbeat(INTERVAL, TIMEOUT);
        Side frozen = new Side();
        Side live = new Side();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        Process child = null;
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/frozen", frozen, heartbeat).route("/live", live, heartbeat).build().start();
             WebSocketClient client = WebSocketClient.create(1)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                    Path.of("target", "test-classes").toAbsolutePath().toString(), Peers.class.getName(),
                    Integer.toString(server.port()), Integer.toString(FROZEN), "/frozen")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", childOut.readLine(), "the child's peers upgraded");

            List<LiveEcho> echoes = new ArrayList<>();
            for (int i = 0; i < LIVE; i++) {
                LiveEcho e = new LiveEcho();
                e.ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/live"), e).get(10, TimeUnit.SECONDS);
                echoes.add(e);
            }
            pacer.scheduleAtFixedRate(() -> echoes.forEach(LiveEcho::tick), 0, 5, TimeUnit.MILLISECONDS);
            await(() -> server.openConnections() == FROZEN + LIVE, Duration.ofSeconds(10),
                    () -> "open connections " + server.openConnections() + "; frozen peers closed before the freeze: "
                            + frozen.closes.size() + " " + frozen.closes.stream().distinct().toList()
                            + "; live closed: " + live.closes);
            // The heartbeat is working on the peers before they freeze: each has answered a ping.
            await(() -> frozen.ponged.size() == FROZEN, Duration.ofSeconds(10),
                    () -> frozen.ponged.size() + " of " + FROZEN + " child peers' pongs seen by the server");
            assertEquals("PONGED", childOut.readLine(), "every child peer answered a ping");
            await(() -> total(echoes, e -> e.verified.get()) >= 10L * LIVE, Duration.ofSeconds(10),
                    () -> "live echoes so far " + total(echoes, e -> e.verified.get()));
            assertTrue(frozen.closes.isEmpty(), () -> "closed before the freeze: " + frozen.closes);

            signal(child, "-STOP");
            long frozenAt = System.nanoTime();
            long verifiedAtFreeze = total(echoes, e -> e.verified.get());

            // Detected by the heartbeat: a ping unanswered for TIMEOUT, at most INTERVAL after the freeze.
            await(() -> frozen.closes.size() == FROZEN, Duration.ofSeconds(15),
                    () -> frozen.closes.size() + " of " + FROZEN + " frozen peers closed");
            long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
            for (String c : frozen.closes) {
                assertEquals("1006 not clean", c, "how a frozen peer's connection closed");
            }
            assertTrue(frozen.open.isEmpty());
            assertTrue(detectedMs >= TIMEOUT.toMillis() - 50,
                    "all frozen peers closed " + detectedMs + " ms after the freeze, before any ping could time out");
            for (WebSocket<Void> ws : frozen.all) {
                assertFalse(ws.isOpen());
                assertEquals(0, ws.queuedBytes(), "bytes still queued for a closed frozen peer");
                assertEquals(SendStatus.CLOSED, ws.sendText("too late"));
            }

            // The counters hold exactly the live connections.
            await(() -> server.openConnections() == LIVE, Duration.ofSeconds(5),
                    () -> "open connections " + server.openConnections());
            TransportStats stats = server.stats();
            assertEquals(LIVE, stats.openConnections(), stats::toString);
            assertEquals(FROZEN + LIVE, stats.connectionsOpened(), stats::toString);
            assertEquals(FROZEN, stats.connectionsClosed(), stats::toString);
            assertEquals(FROZEN, stats.closes(1006), stats::toString);
            assertEquals(LIVE, live.open.size());
            assertTrue(live.closes.isEmpty(), () -> "live connections closed: " + live.closes);

            // The live connections went on echoing through it and still do.
            long verifiedAtDetection = total(echoes, e -> e.verified.get());
            assertTrue(verifiedAtDetection > verifiedAtFreeze, "no live echo while the frozen peers were detected");
            await(() -> total(echoes, e -> e.verified.get()) >= verifiedAtDetection + 10L * LIVE, Duration.ofSeconds(10),
                    () -> "live echoes after detection " + (total(echoes, e -> e.verified.get()) - verifiedAtDetection));
            for (LiveEcho e : echoes) {
                assertTrue(e.problems.isEmpty(), () -> "live connection: " + e.problems);
                assertTrue(e.ws.isOpen());
            }
            assertTrue(live.ponged.size() == LIVE, () -> live.ponged.size() + " of " + LIVE + " live connections answered pings");

            // Thawed, the child finds its sockets closed; nothing changes on the server.
            signal(child, "-CONT");
            child.destroy();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child ended");
            assertEquals(FROZEN, server.stats().closes(1006));
            assertEquals(LIVE, server.openConnections());
            pacer.shutdownNow();
            assertTrue(pacer.awaitTermination(5, TimeUnit.SECONDS));
            for (LiveEcho e : echoes) {
                e.ws.close();
            }
            await(() -> server.openConnections() == 0, Duration.ofSeconds(10),
                    () -> "open connections after the live ones closed " + server.openConnections());
            assertEquals(LIVE, server.stats().closes(1000));
        } finally {
            pacer.shutdownNow();
            if (child != null && child.isAlive()) {
                signal(child, "-CONT");
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static long total(List<LiveEcho> echoes, java.util.function.ToLongFunction<LiveEcho> f) {
        return echoes.stream().mapToLong(f).sum();
    }

    /** Sends a signal to the child this test started (by its pid). */
    private static void signal(Process child, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(child.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal + " " + child.pid());
    }

    private static void await(BooleanSupplier condition, Duration max, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + max.toMillis() + " ms: " + message.get());
            }
            Thread.sleep(5);
        }
    }

    /**
     * The child JVM's peers (JDK only): opens {@code n} WebSocket connections to {@code path} on
     * 127.0.0.1 and, from its upgrade on, serves each with a thread of its own that answers every
     * ping with its pong (RFC 6455 §5.5.3) and sends a short masked text every 100 ms (whose echo
     * it reads and drops); prints {@code READY} once all are upgraded and {@code PONGED} once every
     * connection has answered a ping. Runs until killed.
     */
    static final class Peers {

        private Peers() {
        }

        /**
         * Runs the peers.
         *
         * @param args port, count, path
         * @throws Exception on any failure (the test then sees the child end early)
         */
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            int n = Integer.parseInt(args[1]);
            String path = args[2];
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            AtomicInteger ponged = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                readHead(s.getInputStream());
                // answer the heartbeat at once: the next upgrades may take longer than a ping's timeout
                Thread t = new Thread(() -> serve(s, ponged, n), "peer-" + s.getLocalPort());
                t.setDaemon(true);
                t.start();
            }
            System.out.println("READY");
            System.out.flush();
            Thread.currentThread().join(); // until killed
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            StringBuilder head = new StringBuilder();
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the handshake: " + head);
                }
                head.append((char) b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
            }
            if (!head.toString().startsWith("HTTP/1.1 101 ")) {
                throw new IOException("not upgraded: " + head);
            }
        }

        private static void serve(Socket s, AtomicInteger ponged, int n) {
            try {
                s.setSoTimeout(100);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                boolean answered = false;
                long nextSend = System.nanoTime();
                byte[] text = ("peer " + s.getLocalPort()).getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    if (System.nanoTime() - nextSend >= 0) {
                        writeFrame(out, 0x1, text);
                        nextSend += 100_000_000L;
                    }
                    int b0;
                    try {
                        b0 = in.read();
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (b0 < 0) {
                        return;
                    }
                    s.setSoTimeout(0); // a frame has begun: read it whole
                    int len = in.readUnsignedByte() & 0x7F;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = (int) in.readLong();
                    }
                    byte[] payload = new byte[len];
                    in.readFully(payload);
                    s.setSoTimeout(100);
                    if ((b0 & 0x0F) == 0x9) {
                        writeFrame(out, 0xA, payload);
                        if (!answered) {
                            answered = true;
                            if (ponged.incrementAndGet() == n) {
                                System.out.println("PONGED");
                                System.out.flush();
                            }
                        }
                    } else if ((b0 & 0x0F) == 0x8) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the server closed the connection (after the thaw): this peer is done
            }
        }

        /** One masked frame with FIN set; the mask key is zero, which RFC 6455 §5.3 allows. */
        private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
            byte[] f = new byte[6 + payload.length];
            f[0] = (byte) (0x80 | opcode);
            f[1] = (byte) (0x80 | payload.length); // every payload here is under 126 bytes
            System.arraycopy(payload, 0, f, 6, payload.length);
            out.write(f);
            out.flush();
        }
    }
}
