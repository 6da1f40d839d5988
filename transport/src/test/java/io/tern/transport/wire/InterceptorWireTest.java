package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionListener;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.MessageInterceptor;
import io.tern.transport.MessageLogging;
import io.tern.transport.RateLimit;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inbound message interceptors over the wire: order, transform, reply, close, rate limit, logging. */
@Timeout(60)
class InterceptorWireTest {

    private static WebSocketServer echo(ConnectionSettings settings) throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/i", new Recorder(true), settings).build().start();
    }

    @Test
    void interceptorsRunInOrderAndMayTransformReplyOrStopAMessage() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        MessageInterceptor.Factory upper = socket -> (ws, isText, payload, last) -> {
            seen.add("upper");
            String s = StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
            return StandardCharsets.UTF_8.encode(s.toUpperCase(java.util.Locale.ROOT));
        };
        MessageInterceptor.Factory commands = socket -> (ws, isText, payload, last) -> {
            seen.add("commands");
            String s = StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
            if (s.equals("PING?")) {
                ws.sendText("pong!");   // reply, and the handler never sees it
                return null;
            }
            if (s.equals("BYE")) {
                ws.close(4000, "asked to leave");
                return null;
            }
            return payload;
        };
        try (WebSocketServer server = echo(ConnectionSettings.defaults().withMessageInterceptors(List.of(upper, commands)));
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            peer.sendText("hello");
            assertEquals("HELLO", peer.readFrame().text(), "transformed, then echoed by the handler");
            assertEquals(List.of("upper", "commands"), seen);
            peer.sendText("ping?");
            assertEquals("pong!", peer.readFrame().text(), "the interceptor's reply, and no echo after it");
            peer.sendText("bye");
            Frame close = peer.readFrame();
            assertEquals(4000, close.closeCode());
        }
    }

    @Test
    void aThrowingInterceptorClosesOnlyItsConnectionWith1011() throws Exception {
        MessageInterceptor.Factory broken = socket -> (ws, isText, payload, last) -> {
            throw new IllegalStateException("interceptor failed on purpose");
        };
        try (WebSocketServer server = echo(ConnectionSettings.defaults().withMessageInterceptors(List.of(broken)));
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            peer.sendText("x");
            assertEquals(1011, peer.readFrame().closeCode());
        }
    }

    /** A rate limit of 10 messages a second with bursts of 3, on a clock the test moves. */
    private static ConnectionSettings limited(AtomicLong clock, RateLimit.Action action) {
        return ConnectionSettings.defaults().withMessageInterceptors(List.of(
                RateLimit.perConnection(10, 3).onExceeded(action).errorReply("slow down").clock(clock::get).factory()));
    }

    @Test
    void overTheRateLimitAnErrorIsRepliedAndTheBucketRefillsWithTime() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        try (WebSocketServer server = echo(limited(clock, RateLimit.Action.ERROR_REPLY));
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            for (int i = 0; i < 5; i++) {
                peer.sendText("m" + i);
            }
            List<String> got = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(peer.readFrame().text());
            }
            assertEquals(List.of("m0", "m1", "m2", "slow down", "slow down"), got, "a burst of 3, then replies");
            clock.addAndGet(100_000_000L); // 100 ms at 10/s: one more message
            peer.sendText("m5");
            peer.sendText("m6");
            assertEquals("m5", peer.readFrame().text());
            assertEquals("slow down", peer.readFrame().text());
        }
    }

    @Test
    void overTheRateLimitAMessageIsDroppedOrTheConnectionClosedWith1008() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (WebSocketServer server = echo(limited(clock, RateLimit.Action.DROP));
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            for (int i = 0; i < 5; i++) {
                peer.sendText("d" + i);
            }
            peer.sendFrame(Opcode.PING, new byte[] {7}); // its pong says d3 and d4 were handled
            for (String expected : List.of("d0", "d1", "d2")) {
                assertEquals(expected, peer.readFrame().text());
            }
            assertEquals(Opcode.PONG, peer.readFrame().opcode(), "d3 and d4 dropped silently");
            clock.addAndGet(1_000_000_000L);
            peer.sendText("after");
            assertEquals("after", peer.readFrame().text());
        }
        try (WebSocketServer server = echo(limited(clock, RateLimit.Action.CLOSE));
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            for (int i = 0; i < 4; i++) {
                peer.sendText("c" + i);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("c" + i, peer.readFrame().text());
            }
            assertEquals(1008, peer.readFrame().closeCode());
        }
    }

    @Test
    void theByteBucketCountsFragmentsAsTheyArrive() throws Exception {
        AtomicLong clock = new AtomicLong();
        ConnectionSettings settings = ConnectionSettings.defaults().withMessageInterceptors(List.of(
                RateLimit.perConnection(1000, 1000).bytes(100, 100).clock(clock::get).factory()));
        try (WebSocketServer server = echo(settings);
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            peer.sendText("a".repeat(60));
            assertEquals("a".repeat(60), peer.readFrame().text());
            peer.sendText("b".repeat(60)); // 120 bytes in all, over the 100-byte burst: closed with 1008
            assertEquals(1008, peer.readFrame().closeCode());
        }
    }

    /** A System.Logger that keeps what it is given. */
    private static final class Kept implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Level level;

        Kept(Level level) {
            this.level = level;
        }

        @Override
        public String getName() {
            return "kept";
        }

        @Override
        public boolean isLoggable(Level l) {
            return l.getSeverity() >= level.getSeverity();
        }

        @Override
        public void log(Level l, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level l, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }

        @Override
        public void log(Level l, Supplier<String> msg) {
            lines.add(msg.get());
        }
    }

    @Test
    void loggingDescribesEachMessageAndPassesItOn() throws Exception {
        Kept log = new Kept(System.Logger.Level.DEBUG);
        ConnectionSettings settings = ConnectionSettings.defaults().withMessageInterceptors(List.of(
                MessageLogging.factory(log, System.Logger.Level.INFO, 4)));
        try (WebSocketServer server = echo(settings);
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            peer.sendText("hello");
            assertEquals("hello", peer.readFrame().text());
            peer.sendFrame(Opcode.BINARY, new byte[] {1, 2, (byte) 0xab});
            peer.readFrame();
            assertEquals(2, log.lines.size(), log.lines.toString());
            assertTrue(log.lines.get(0).matches("ws#\\d+ /i text 5 bytes: hell…"), log.lines.get(0));
            assertTrue(log.lines.get(1).matches("ws#\\d+ /i binary 3 bytes: 0102ab"), log.lines.get(1));
        }
    }

    @Test
    void passingMessagesThroughInterceptorsAllocatesNothingOnTheLoop() throws Exception {
        Kept quiet = new Kept(System.Logger.Level.ERROR); // logs nothing at INFO
        ConnectionSettings settings = ConnectionSettings.defaults().withMessageInterceptors(List.of(
                RateLimit.perConnection(1e9, 1e9).bytes(1e12, 1e12).factory(),
                MessageLogging.factory(quiet, System.Logger.Level.INFO, 16)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        io.tern.transport.WebSocketHandler<Object> plainEcho = new io.tern.transport.WebSocketHandler<>() {
            @Override
            public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
                ws.sendBinary(data);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/i", plainEcho, settings).build().start();
             RawPeer peer = RawPeer.connect(server.port(), 1 << 20, 0)) {
            peer.upgrade("/i");
            byte[] one = Frame.clientFrame(Opcode.BINARY, new byte[64]);
            byte[] batch = new byte[one.length * 500];
            for (int i = 0; i < 500; i++) {
                System.arraycopy(one, 0, batch, i * one.length, one.length);
            }
            long loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("tern-server-loop-0")).findFirst().orElseThrow().getId();
            long before = 0;
            int rounds = 60;
            for (int r = 0; r < rounds; r++) {
                if (r == 20) {
                    before = threads.getThreadAllocatedBytes(loop); // after warming up
                }
                peer.write(batch);
                for (int i = 0; i < 500; i++) {
                    peer.readFrame();
                }
            }
            long perMessage = (threads.getThreadAllocatedBytes(loop) - before) / (40L * 500);
            assertEquals(0, perMessage, "bytes allocated per echoed message on the loop");
        }
    }

    @Test
    void connectionListenersHearEveryOpenAndCloseOnceBesideTheHandler() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ConnectionListener first = new ConnectionListener() {
            @Override
            public void onOpen(WebSocket<?> ws) {
                events.add("first open");
            }

            @Override
            public void onClose(WebSocket<?> ws, int code, String reason, boolean clean) {
                events.add("first close " + code);
            }
        };
        ConnectionListener second = new ConnectionListener() {
            @Override
            public void onClose(WebSocket<?> ws, int code, String reason, boolean clean) {
                events.add("second close " + code);
                throw new IllegalStateException("a failing listener must not stop the others");
            }
        };
        Recorder handler = new Recorder(true);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/i", handler, ConnectionSettings.defaults().withConnectionListeners(List.of(second, first)))
                .build().start();
             RawPeer peer = RawPeer.connect(server.port())) {
            peer.upgrade("/i");
            WebSocket<Object> ws = handler.awaitOpen(5);
            ws.addCloseListener(new ConnectionListener() {
                @Override
                public void onClose(WebSocket<?> s, int code, String reason, boolean clean) {
                    events.add("added close " + code + " " + (s == ws));
                }
            });
            peer.close(); // an abrupt end: no close frame
            assertEquals(1006, handler.awaitClose(5).code());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (events.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(List.of("first open", "second close 1006", "first close 1006", "added close 1006 true"), events);
            java.util.concurrent.CompletableFuture<String> late = new java.util.concurrent.CompletableFuture<>();
            ws.addCloseListener(new ConnectionListener() {
                @Override
                public void onClose(WebSocket<?> s, int code, String reason, boolean clean) {
                    late.complete(code + " on " + Thread.currentThread().getName());
                }
            });
            assertEquals("1006 on tern-server-loop-0", late.get(5, java.util.concurrent.TimeUnit.SECONDS),
                    "a listener added after the close hears of it at once, on the loop");
        }
    }

    @Test
    void idsAreUniqueAndTheExecutorIsTheConnectionsLoop() throws Exception {
        java.util.concurrent.BlockingQueue<WebSocket<Object>> opened = new java.util.concurrent.LinkedBlockingQueue<>();
        io.tern.transport.WebSocketHandler<Object> handler = new io.tern.transport.WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Object> ws) {
                opened.add(ws);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/i", handler).build().start();
             RawPeer a = RawPeer.connect(server.port());
             RawPeer b = RawPeer.connect(server.port());
             RawPeer c = RawPeer.connect(server.port())) {
            a.upgrade("/i");
            b.upgrade("/i");
            c.upgrade("/i");
            WebSocket<Object> wa = opened.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            WebSocket<Object> wb = opened.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            WebSocket<Object> wc = opened.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(3, java.util.Set.of(wa.id(), wb.id(), wc.id()).size());
            assertTrue(wa.id() > 0 && wa.toString().contains("#" + wa.id()), wa.toString());
            assertTrue(wa.executor() == wc.executor(), "round-robin over two loops: first and third share one");
            assertTrue(wa.executor() != wb.executor());
            java.util.concurrent.CompletableFuture<String> where = new java.util.concurrent.CompletableFuture<>();
            wb.executor().execute(() -> where.complete(Thread.currentThread().getName()));
            assertEquals("tern-server-loop-1", where.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }
}
