package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pings and pongs over real sockets: automatic pongs, handler-made pongs, unsolicited pongs. */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class PingPongWireTest {

    private static WebSocketServer.Builder server() {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(1);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] bytes125() {
        byte[] b = new byte[125];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (255 - i * 2);
        }
        return b;
    }

    @Test
    void rawPingGetsAnAutomaticPongWithTheSamePayload() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            byte[][] payloads = {new byte[0], Payloads.utf8("hello-ping ✓"), bytes125()};
            for (byte[] p : payloads) {
                peer.sendFrame(0x9, p);
                Frame pong = peer.readFrame();
                assertEquals(0xA, pong.opcode());
                assertTrue(pong.fin());
                assertEquals(0, pong.rsv());
                assertFalse(pong.masked());
                assertEquals(hex(p), hex(pong.payload()));
                byte[] seen = serverSide.pings.poll(5, TimeUnit.SECONDS);
                assertNotNull(seen, "onPing not called");
                assertEquals(hex(p), hex(seen));
            }
            // exact bytes of the simplest case: ping "ab" -> 8a 02 61 62
            peer.sendFrame(0x9, Payloads.utf8("ab"));
            Frame pong = peer.readFrame();
            assertEquals(hex(new byte[] {(byte) 0x8a, 0x02, 0x61, 0x62}),
                    hex(pong.encode()));
        }
    }

    @Test
    void pingBetweenFragmentsIsAnsweredBeforeTheMessageEnds() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/echo");
            peer.write(Frame.encode(false, 0, 0x1, true, Payloads.utf8("part one, ")));
            peer.write(Frame.clientFrame(0x9, Payloads.utf8("between")));
            Frame pong = peer.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("between", pong.text());
            peer.write(Frame.encode(true, 0, 0x0, true, Payloads.utf8("part two")));
            Frame echo = peer.readFrame();
            assertEquals(0x1, echo.opcode());
            assertEquals("part one, part two", echo.text());
        }
    }

    @Test
    void ternAndJdkClientPingsComeBackAsPongs() throws Exception {
        try (WebSocketServer s = server().route("/echo", new Recorder(true)).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder clientSide = new Recorder();
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/echo"), clientSide)
                    .get(5, TimeUnit.SECONDS);
            assertEquals(SendStatus.QUEUED, ws.sendPing(ByteBuffer.wrap(bytes125())));
            byte[] pong = clientSide.pongs.poll(5, TimeUnit.SECONDS);
            assertNotNull(pong, "Tern client: no pong");
            assertArrayEquals(bytes125(), pong);

            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket jdk = JdkPeer.open(URI.create("ws://127.0.0.1:" + s.port() + "/echo"), listener);
            try {
                jdk.sendPing(ByteBuffer.wrap(Payloads.utf8("jdk ping"))).get(5, TimeUnit.SECONDS);
                byte[] jdkPong = listener.pongs.poll(5, TimeUnit.SECONDS);
                assertNotNull(jdkPong, "JDK client: no pong");
                assertEquals("jdk ping", new String(jdkPong, java.nio.charset.StandardCharsets.UTF_8));
            } finally {
                jdk.abort();
            }
        }
    }

    @Test
    void withoutAutoPongNoPongComesUnlessTheHandlerSendsOne() throws Exception {
        Recorder silent = new Recorder(true);
        Recorder manual = new Recorder(true) {
            @Override
            public void onPing(WebSocket<Object> socket, ByteBuffer payload) {
                super.onPing(socket, payload);
                ByteBuffer answer = ByteBuffer.allocate(payload.remaining() + 7);
                answer.put(Payloads.utf8("manual:")).put(payload.duplicate()).flip();
                socket.sendPong(answer);
            }
        };
        ConnectionSettings noAutoPong = ConnectionSettings.defaults().withAutoPong(false);
        try (WebSocketServer s = server().route("/silent", silent, noAutoPong).route("/manual", manual, noAutoPong)
                .build().start()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/silent");
                peer.sendFrame(0x9, Payloads.utf8("anyone?"));
                peer.sendFrame(0x1, Payloads.utf8("after the ping"));
                Frame next = peer.readFrame();
                assertEquals(0x1, next.opcode(), () -> "expected the echo and no pong, got " + next);
                assertEquals("after the ping", next.text());
                assertEquals("anyone?", new String(silent.pings.poll(5, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8));
                peer.expectSilence(300);
            }
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/manual");
                peer.sendFrame(0x9, Payloads.utf8("ping!"));
                Frame pong = peer.readFrame();
                assertEquals(0xA, pong.opcode());
                assertEquals("manual:ping!", pong.text());
                peer.sendFrame(0x1, Payloads.utf8("then text"));
                Frame echo = peer.readFrame();
                assertEquals(0x1, echo.opcode(), () -> "exactly one pong expected, got " + echo);
                assertEquals("then text", echo.text());
            }
        }
    }

    @Test
    void unsolicitedPongIsDeliveredToOnPongAndNotAnswered() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/echo");
                peer.sendFrame(0xA, Payloads.utf8("unsolicited"));
                peer.sendFrame(0x1, Payloads.utf8("marker"));
                Frame next = peer.readFrame();
                assertEquals(0x1, next.opcode(), () -> "a pong must not be answered, got " + next);
                assertEquals("marker", next.text());
                byte[] got = serverSide.pongs.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "onPong not called");
                assertEquals("unsolicited", new String(got, java.nio.charset.StandardCharsets.UTF_8));
                peer.sendFrame(0xA, new byte[0]);
                byte[] empty = serverSide.pongs.poll(5, TimeUnit.SECONDS);
                assertNotNull(empty, "onPong not called for an empty pong");
                assertEquals(0, empty.length);
            }
            // Both directions with the Tern client.
            Recorder clientSide = new Recorder();
            serverSide.pongs.clear();
            WebSocket<Object> ws = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/echo"), clientSide)
                    .get(5, TimeUnit.SECONDS);
            assertEquals(SendStatus.QUEUED, ws.sendPong(ByteBuffer.wrap(Payloads.utf8("from client"))));
            byte[] atServer = serverSide.pongs.poll(5, TimeUnit.SECONDS);
            assertNotNull(atServer);
            assertEquals("from client", new String(atServer, java.nio.charset.StandardCharsets.UTF_8));
            ws.sendText("marker");
            assertEquals("marker", new String(clientSide.nextMessage(5).data(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(clientSide.pongs.isEmpty(), "the server must not answer a pong");
        }
    }

    @Test
    void serverPingsAndPongsReachTheTernClient() throws Exception {
        Recorder serverSide = new Recorder(true);
        try (WebSocketServer s = server().route("/echo", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder clientSide = new Recorder();
            client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/echo"), clientSide).get(5, TimeUnit.SECONDS);
            WebSocket<Object> atServer = serverSide.awaitOpen(5);
            assertEquals(SendStatus.QUEUED, atServer.sendPong(ByteBuffer.wrap(Payloads.utf8("server pong"))));
            byte[] pong = clientSide.pongs.poll(5, TimeUnit.SECONDS);
            assertNotNull(pong, "client onPong not called");
            assertEquals("server pong", new String(pong, java.nio.charset.StandardCharsets.UTF_8));

            assertEquals(SendStatus.QUEUED, atServer.sendPing(ByteBuffer.wrap(Payloads.utf8("server ping"))));
            byte[] ping = clientSide.pings.poll(5, TimeUnit.SECONDS);
            assertNotNull(ping, "client onPing not called");
            assertEquals("server ping", new String(ping, java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = serverSide.pongs.poll(5, TimeUnit.SECONDS);
            assertNotNull(answer, "the Tern client did not answer the server's ping");
            assertEquals("server ping", new String(answer, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
