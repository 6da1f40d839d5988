package io.tern.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
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
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new java.net.http.WebSocket.Listener() {
                        final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                got.add(text.toString());
                                text.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("hello tern", true).get(5, TimeUnit.SECONDS);
            assertEquals("hello tern", got.poll(5, TimeUnit.SECONDS));
            ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ternClientEchoesThroughTernServer() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", ECHO).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            CompletableFuture<int[]> closed = new CompletableFuture<>();
            WebSocket<Void> ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketHandler<Void>() {
                @Override
                public void onText(WebSocket<Void> s, ByteBuffer utf8, boolean last) {
                    got.add(StandardCharsets.UTF_8.decode(utf8).toString());
                }

                @Override
                public void onClose(WebSocket<Void> s, int code, String reason, boolean clean) {
                    closed.complete(new int[] {code, clean ? 1 : 0});
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(SendStatus.QUEUED, ws.sendText("from another thread"));
            assertEquals("from another thread", got.poll(5, TimeUnit.SECONDS));
            ws.close(1000, "done");
            int[] result = closed.get(5, TimeUnit.SECONDS);
            assertEquals(1000, result[0]);
            assertEquals(1, result[1]);
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
            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            java.util.List<WebSocket<Void>> sockets = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sockets.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketHandler<Void>() {
                    @Override
                    public void onText(WebSocket<Void> s, ByteBuffer utf8, boolean last) {
                        got.add(StandardCharsets.UTF_8.decode(utf8).toString());
                    }
                }).get(5, TimeUnit.SECONDS));
            }
            for (int i = 0; i < sockets.size(); i++) {
                sockets.get(i).sendText("n" + i);
            }
            java.util.Set<String> echoes = new java.util.HashSet<>();
            for (int i = 0; i < sockets.size(); i++) {
                echoes.add(got.poll(5, TimeUnit.SECONDS));
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
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            int b;
            int tail = 0;
            while ((b = s.getInputStream().read()) >= 0) {
                head.write(b);
                tail = (tail << 8) | b;
                if (tail == 0x0d0a0d0a) {
                    break;
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
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
             java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(5000);
            String head = exchangeOn(raw);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            // Three masked frames in one write, so they arrive in one read.
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (String m : new String[] {"one", "two", "three"}) {
                byte[] p = m.getBytes(StandardCharsets.UTF_8);
                frames.write(0x81);
                frames.write(0x80 | p.length);
                frames.write(new byte[4], 0, 4); // zero mask key
                frames.write(p, 0, p.length);
            }
            raw.getOutputStream().write(frames.toByteArray());
            StringBuilder echoed = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                java.io.InputStream in = raw.getInputStream();
                assertEquals(0x81, in.read());
                int n = in.read();
                echoed.append(new String(in.readNBytes(n), StandardCharsets.UTF_8)).append(' ');
            }
            assertEquals("one two three ", echoed.toString());
        }
    }

    private static String exchangeOn(java.net.Socket s) throws Exception {
        s.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int b;
        int tail = 0;
        while ((b = s.getInputStream().read()) >= 0) {
            head.write(b);
            tail = (tail << 8) | b;
            if (tail == 0x0d0a0d0a) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
