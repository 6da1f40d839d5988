package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A peer that vanishes with a TCP reset in the middle of a frame. */
@Timeout(30)
class AbruptDisconnectTest {

    private static WebSocketServer start(Recorder rec) throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(2).route("/r", rec).build().start();
    }

    @ParameterizedTest(name = "reset after {0}")
    @ValueSource(strings = {"oneHeaderByte", "headerOnly", "partialPayload", "wholeMessageThenPartial", "fragmentThenPartial"})
    void resetInsideAFrameReports1006AndFreesTheConnection(String cut) throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = start(rec)) {
            WebSocket<Object> ws;
            try (RawPeer peer = RawPeer.upgraded(server.port(), "/r")) {
                ws = rec.nextOpen();
                assertEquals(1, server.openConnections());
                byte[] payload = new byte[300];
                new Random(7).nextBytes(payload);
                byte[] frame = Frame.encode(true, 0, Opcode.BINARY, true, payload);
                assertEquals(2 + 2 + 4 + 300, frame.length);
                long before = server.stats().bytesIn();
                int sent;
                switch (cut) {
                    case "oneHeaderByte" -> sent = 1;
                    case "headerOnly" -> sent = 8;
                    case "partialPayload" -> sent = 8 + 150;
                    case "wholeMessageThenPartial" -> {
                        peer.write(frame);
                        Frame echo = peer.readFrame();
                        assertEquals(Opcode.BINARY, echo.opcode());
                        assertArrayEquals(payload, echo.payload());
                        before = server.stats().bytesIn();
                        frame = Frame.encode(true, 0, Opcode.BINARY, true, payload);
                        sent = 100;
                    }
                    case "fragmentThenPartial" -> {
                        byte[] first = Frame.encode(false, 0, Opcode.TEXT, true, "first half ".getBytes(StandardCharsets.UTF_8));
                        peer.write(first);
                        before += first.length;
                        frame = Frame.encode(true, 0, Opcode.CONTINUATION, true, "y".repeat(300).getBytes(StandardCharsets.US_ASCII));
                        sent = 20;
                    }
                    default -> throw new IllegalArgumentException(cut);
                }
                peer.write(frame, 0, sent);
                long expected = before + sent;
                // The reset must come after the server has read the partial frame.
                await(() -> server.stats().bytesIn() >= expected, Duration.ofSeconds(5),
                        () -> "server read " + server.stats().bytesIn() + " of " + expected + " bytes");
                peer.reset();
            }
            Track t = rec.track(ws);
            Closed c = t.closed.get(5, TimeUnit.SECONDS);
            assertEquals(1006, c.code(), "close code after a reset: " + c);
            assertFalse(c.clean(), "a reset is never a clean close");
            await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                    () -> "open connections still " + server.openConnections());
            assertEquals(0, server.stats().openConnections());
            assertEquals(1, server.stats().connectionsClosed());
            assertEquals(1, server.stats().closes(1006));
            assertFalse(ws.isOpen());
            assertEquals(SendStatus.CLOSED, ws.sendText("too late"));
            Thread.sleep(50);
            assertEquals(1, t.closeCalls.get(), "onClose exactly once");
            assertStillServes(server, rec);
        }
    }

    @Test
    void resetDuringTheOpeningHandshakeLeavesNoTrace() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = start(rec)) {
            long before = server.stats().bytesIn();
            byte[] half = ("GET /r HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Up")
                    .getBytes(StandardCharsets.US_ASCII);
            try (RawPeer peer = RawPeer.connect(server.port())) {
                peer.write(half);
                await(() -> server.stats().bytesIn() >= before + half.length, Duration.ofSeconds(5),
                        () -> "server did not read the half request");
                peer.reset();
            }
            Thread.sleep(100);
            assertEquals(0, rec.opens.get(), "no onOpen for an unfinished handshake");
            assertEquals(0, server.openConnections());
            assertEquals(0, server.stats().connectionsOpened());
            assertStillServes(server, rec);
        }
    }

    @Test
    void manySimultaneousResetsAreAllAccountedFor() throws Exception {
        int n = 50;
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = start(rec)) {
            List<RawPeer> peers = new ArrayList<>();
            List<WebSocket<Object>> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    peers.add(RawPeer.upgraded(server.port(), "/r"));
                    sockets.add(rec.nextOpen());
                }
                assertEquals(n, server.openConnections());
                long before = server.stats().bytesIn();
                for (RawPeer p : peers) {
                    byte[] frame = Frame.encode(true, 0, Opcode.TEXT, true, "x".repeat(1000).getBytes(StandardCharsets.US_ASCII));
                    p.write(frame, 0, 500);
                }
                await(() -> server.stats().bytesIn() >= before + 500L * n, Duration.ofSeconds(5),
                        () -> "server did not read every partial frame");
                for (RawPeer p : peers) {
                    p.reset();
                }
            } finally {
                for (RawPeer p : peers) {
                    p.close();
                }
            }
            for (WebSocket<Object> ws : sockets) {
                Closed c = rec.track(ws).closed.get(5, TimeUnit.SECONDS);
                assertEquals(1006, c.code());
                assertFalse(c.clean());
            }
            await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                    () -> "open connections still " + server.openConnections());
            assertEquals(n, server.stats().closes(1006));
            assertEquals(0, server.stats().openConnections());
            for (WebSocket<Object> ws : sockets) {
                assertEquals(1, rec.track(ws).closeCalls.get());
            }
            assertStillServes(server, rec);
        }
    }

    /** A fresh Tern client and a fresh raw peer both get their messages echoed and close cleanly. */
    private static void assertStillServes(WebSocketServer server, Recorder rec) throws Exception {
        int openedBefore = rec.opens.get();
        try (WebSocketClient client = WebSocketClient.create()) {
            Recorder mine = new Recorder(false);
            WebSocket<Object> ws = client.connect(Support.uri(server.port(), "/r"), mine).get(5, TimeUnit.SECONDS);
            WebSocket<Object> serverSide = rec.nextOpen();
            assertEquals(SendStatus.QUEUED, ws.sendText("still here"));
            assertEquals("still here", mine.track(ws).nextMessage(5).string());
            try (RawPeer peer = RawPeer.upgraded(server.port(), "/r")) {
                WebSocket<Object> rawSide = rec.nextOpen();
                peer.sendText("raw too");
                Frame f = peer.readFrame();
                assertEquals(Opcode.TEXT, f.opcode());
                assertEquals("raw too", new String(f.payload(), StandardCharsets.UTF_8));
                peer.sendClose(1000);
                assertEquals(1000, peer.readFrame().closeCode());
                assertEquals(null, peer.readFrameOrEnd(), "server closes TCP after the closing handshake");
                Closed rc = rec.track(rawSide).closed.get(5, TimeUnit.SECONDS);
                assertEquals(1000, rc.code());
                assertTrue(rc.clean());
            }
            ws.close();
            Closed c = mine.track(ws).closed.get(5, TimeUnit.SECONDS);
            assertEquals(1000, c.code());
            assertTrue(c.clean());
            Closed sc = rec.track(serverSide).closed.get(5, TimeUnit.SECONDS);
            assertEquals(1000, sc.code());
            assertTrue(sc.clean());
        }
        assertEquals(openedBefore + 2, rec.opens.get());
        await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                () -> "open connections still " + server.openConnections());
    }
}
