package io.tern.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EchoSmokeTest {

    static final WebSocketHandler<Void> ECHO = new WebSocketHandler<>() {
        @Override
        public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
            ws.sendText(utf8);
        }

        @Override
        public void onBinary(WebSocket<Void> ws, ByteBuffer data, boolean last) {
            ws.sendBinary(data);
        }
    };

    @Test
    void jdkClientEchoesThroughTernServer() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/echo", ECHO).build().start()) {
            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket ws = JdkPeer.open(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), listener);
            ws.sendText("hello tern", true).get(5, TimeUnit.SECONDS);
            assertEquals("hello tern", listener.nextMessage(5).string());
            ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ternClientEchoesThroughTernServer() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", ECHO).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder got = new Recorder();
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), got)
                    .get(5, TimeUnit.SECONDS);
            assertEquals(SendStatus.QUEUED, ws.sendText("from another thread"));
            assertEquals("from another thread", got.nextMessage(5).string());
            ws.close(1000, "done");
            Recorder.Closed result = got.awaitClose(5);
            assertEquals(1000, result.code());
            assertTrue(result.clean());
            assertFalse(ws.isOpen());
        }
    }

    @Test
    void shutdownLeavesNoLoopThreads() throws Exception {
        WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/echo", ECHO).build().start();
        assertTrue(server.hasLiveLoops());
        assertTrue(server.shutdown(Duration.ofSeconds(2)));
        assertFalse(server.hasLiveLoops());
    }

    @Test
    void reusePortSpreadsConnectionsOverEveryLoop() throws Exception {
        java.util.Set<String> loopThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        WebSocketHandler<Void> recordingEcho = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Void> ws) {
                loopThreads.add(Thread.currentThread().getName());
            }

            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                ws.sendText(utf8);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .acceptStrategy(AcceptStrategy.REUSE_PORT).route("/echo", recordingEcho).build().start();
             WebSocketClient client = WebSocketClient.create(2)) {
            Recorder got = new Recorder();
            java.util.List<WebSocket<Object>> sockets = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sockets.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), got).get(5, TimeUnit.SECONDS));
            }
            for (int i = 0; i < sockets.size(); i++) {
                sockets.get(i).sendText("n" + i);
            }
            java.util.Set<String> echoes = new java.util.HashSet<>();
            for (int i = 0; i < sockets.size(); i++) {
                echoes.add(got.nextMessage(5).string());
            }
            assertEquals(40, echoes.size());
            // The kernel spreads SO_REUSEPORT connections by hash: with 40 connections both
            // listening loops get some (the odds of all 40 landing on one are 2^-39).
            assertEquals(2, loopThreads.size(), "loops that accepted connections: " + loopThreads);
        }
    }

    @Test
    void absoluteFormTargetsAreRoutedAndMalformedOnesGet400() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", ECHO).build().start()) {
            String ok = exchange(server.port(), "GET http://127.0.0.1/echo HTTP/1.1");
            assertTrue(ok.startsWith("HTTP/1.1 101 "), ok);
            String bad = exchange(server.port(), "GET http://[bad/echo HTTP/1.1");
            assertTrue(bad.startsWith("HTTP/1.1 400 "), bad);
            assertTrue(exchange(server.port(), "GET /echo HTTP/1.1").startsWith("HTTP/1.1 101 "), "the loop still serves");
        }
    }

    private static String exchange(int port, String requestLine) throws Exception {
        try (RawPeer peer = RawPeer.connect(port)) {
            return exchangeOn(peer, requestLine);
        }
    }

    /** Sends an upgrade request with this request-line and returns the response head. */
    private static String exchangeOn(RawPeer peer, String requestLine) throws Exception {
        peer.writeAscii(requestLine + "\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawPeer.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return peer.readHead().raw();
    }

    @Test
    void pausingAndResumingInsideOneCallbackLosesNothing() throws Exception {
        WebSocketHandler<Void> fickle = new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                ws.pauseReading();
                ws.resumeReading();
                ws.sendText(utf8);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", fickle).build().start();
             RawPeer raw = RawPeer.connect(server.port())) {
            String head = exchangeOn(raw, "GET /echo HTTP/1.1");
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            // Three masked frames in one write, so they arrive in one read.
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (String m : new String[] {"one", "two", "three"}) {
                frames.writeBytes(Frame.clientFrame(0x1, m.getBytes(StandardCharsets.UTF_8)));
            }
            raw.write(frames.toByteArray());
            StringBuilder echoed = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                Frame f = raw.readFrame();
                assertTrue(f.fin());
                assertEquals(0, f.rsv());
                assertEquals(0x1, f.opcode());
                echoed.append(f.text()).append(' ');
            }
            assertEquals("one two three ", echoed.toString());
        }
    }
}
