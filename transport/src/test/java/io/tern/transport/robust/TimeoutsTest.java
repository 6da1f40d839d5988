package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The closing-handshake timeout and the opening-handshake timeout. */
@Timeout(30)
class TimeoutsTest {

    private static final long TIMEOUT_MS = 300;
    private static final long MARGIN_MS = 1000;

    // ------------------------------------------------------------------ closing handshake

    private static WebSocketServer closingServer(Recorder rec) throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/c", rec, ConnectionSettings.defaults().withClosingTimeout(Duration.ofMillis(TIMEOUT_MS)))
                .build().start();
    }

    @Test
    void peerThatNeverAnswersTheCloseFrameIsDisconnectedAtTheClosingTimeout() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = closingServer(rec);
             RawPeer peer = RawPeer.upgraded(server.port(), "/c")) {
            WebSocket<Object> ws = rec.nextOpen();
            Track t = rec.track(ws);
            long start = System.nanoTime();
            ws.close();
            Frame close = peer.readFrame();
            assertEquals(Opcode.CLOSE, close.opcode());
            assertEquals(1000, close.closeCode());
            assertFalse(ws.isOpen(), "no more sends once the close frame is out");
            // The peer reads on but never answers: the server must close TCP by itself.
            Frame next;
            try {
                next = peer.readFrameOrEnd();
            } catch (SocketTimeoutException e) {
                fail("TCP still open " + Support.millisSince(start) + " ms after the close frame");
                return;
            }
            long eofAfter = Support.millisSince(start);
            assertEquals(null, next, "nothing may follow the close frame");
            assertTrue(eofAfter >= TIMEOUT_MS - 20, "TCP closed after " + eofAfter + " ms, before the closing timeout");
            assertTrue(eofAfter <= TIMEOUT_MS + MARGIN_MS, "TCP closed only after " + eofAfter + " ms");
            Closed c = t.closed.get(5, TimeUnit.SECONDS);
            assertFalse(c.clean(), "the closing handshake did not complete: " + c);
            assertEquals(1006, c.code(), "no close frame was received (RFC 6455 §7.1.5): " + c);
            await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                    () -> "open connections still " + server.openConnections());
            assertEquals(1, t.closeCalls.get());
        }
    }

    @Test
    void peerThatAnswersClosesCleanlyBeforeTheTimeout() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = closingServer(rec);
             WebSocketClient client = WebSocketClient.create()) {
            Recorder mine = new Recorder(false);
            WebSocket<Object> ws = client.connect(Support.uri(server.port(), "/c"), mine).get(5, TimeUnit.SECONDS);
            WebSocket<Object> serverSide = rec.nextOpen();
            long start = System.nanoTime();
            serverSide.close(4000, "bye");
            Closed sc = rec.track(serverSide).closed.get(5, TimeUnit.SECONDS);
            long took = Support.millisBetween(start, rec.track(serverSide).closedAtNanos());
            assertTrue(sc.clean(), "answered close must be clean: " + sc);
            assertEquals(4000, sc.code());
            assertTrue(took < TIMEOUT_MS - 50, "clean close took " + took + " ms, as long as the timeout");
            Closed cc = mine.track(ws).closed.get(5, TimeUnit.SECONDS);
            assertEquals(4000, cc.code());
            assertEquals("bye", cc.reason());
            assertTrue(cc.clean());
        }
    }

    // ------------------------------------------------------------------ opening handshake

    private static WebSocketServer handshakeServer(Recorder rec) throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .handshakeTimeout(Duration.ofMillis(TIMEOUT_MS))
                .route("/h", rec).build().start();
    }

    private static final String REQUEST = "GET /h HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"silent", "halfRequest", "dripFeed"})
    void stalledOpeningHandshakeIsDisconnectedAtTheHandshakeTimeout(String mode) throws Exception {
        Recorder rec = new Recorder(true);
        AtomicBoolean stopDrip = new AtomicBoolean();
        try (WebSocketServer server = handshakeServer(rec);
             RawPeer peer = RawPeer.connect(server.port())) {
            long start = System.nanoTime();
            byte[] request = REQUEST.getBytes(StandardCharsets.US_ASCII);
            Thread drip = null;
            switch (mode) {
                case "silent" -> { }
                case "halfRequest" -> peer.write(request, 0, request.length / 2);
                case "dripFeed" -> {
                    // Slowloris: one byte every 40 ms, never finishing within the timeout.
                    drip = new Thread(() -> {
                        try {
                            for (int i = 0; i < request.length - 1 && !stopDrip.get(); i++) {
                                peer.write(request, i, 1);
                                Thread.sleep(40);
                            }
                        } catch (IOException | InterruptedException expected) {
                            // the server hung up
                        }
                    }, "robust-drip");
                    drip.setDaemon(true);
                    drip.start();
                }
                default -> throw new IllegalArgumentException(mode);
            }
            byte[] answer;
            try {
                answer = peer.readToEndOrReset();
            } catch (SocketTimeoutException e) {
                fail("connection still open " + Support.millisSince(start) + " ms after connecting");
                return;
            } finally {
                stopDrip.set(true);
                if (drip != null) {
                    drip.join(5000);
                }
            }
            long after = Support.millisSince(start);
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(" 101 "), "no upgrade may happen: " + text);
            assertTrue(after >= TIMEOUT_MS - 20, "disconnected after " + after + " ms, before the timeout");
            assertTrue(after <= TIMEOUT_MS + MARGIN_MS, "disconnected only after " + after + " ms");
            assertEquals(0, rec.opens.get());
            assertEquals(0, server.openConnections());
            assertEquals(0, server.stats().connectionsOpened());
        }
    }

    /**
     * One loop accepts and owns every connection, so the acceptor adopts each one inline, from
     * inside the loop's {@code select}; with no timer scheduled that {@code select} blocks for as
     * long as the server sits idle. The handshake deadline used to be counted from the time read
     * before that block, so a connection arriving after an idle spell longer than the handshake
     * timeout was closed at once without an answer (seen with the Autobahn runner: the testee's
     * other loop served a long compression case meanwhile).
     */
    @Test
    void connectionArrivingAfterTheLoopSatIdleLongerThanTheHandshakeTimeoutIsUpgraded() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .handshakeTimeout(Duration.ofMillis(TIMEOUT_MS)).route("/h", rec).build().start()) {
            for (int round = 0; round < 2; round++) {
                Thread.sleep(3 * TIMEOUT_MS); // idle: nothing to read, no timer due
                try (RawPeer peer = RawPeer.upgraded(server.port(), "/h")) { // asserts the 101
                    WebSocket<Object> ws = rec.nextOpen();
                    peer.sendText("round " + round);
                    Frame f = peer.readFrame();
                    assertEquals(Opcode.TEXT, f.opcode());
                    assertEquals("round " + round, new String(f.payload(), StandardCharsets.UTF_8));
                    peer.sendClose(1000);
                    assertEquals(1000, peer.readFrame().closeCode());
                    assertEquals(null, peer.readFrameOrEnd());
                    assertTrue(rec.track(ws).closed.get(5, TimeUnit.SECONDS).clean());
                }
                await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                        () -> "open connections still " + server.openConnections());
            }
            assertEquals(2, server.stats().connectionsOpened());
        }
    }

    @Test
    void completedHandshakeOutlivesTheHandshakeTimeout() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = handshakeServer(rec);
             RawPeer peer = RawPeer.upgraded(server.port(), "/h")) {
            WebSocket<Object> ws = rec.nextOpen();
            Thread.sleep(3 * TIMEOUT_MS);
            assertTrue(ws.isOpen());
            assertFalse(rec.track(ws).closed.isDone());
            peer.sendText("late but fine");
            Frame f = peer.readFrame();
            assertEquals(Opcode.TEXT, f.opcode());
            assertEquals("late but fine", new String(f.payload(), StandardCharsets.UTF_8));
            peer.sendClose(1000);
            assertEquals(1000, peer.readFrame().closeCode());
            assertEquals(null, peer.readFrameOrEnd());
        }
    }
}
