package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's heartbeat: ping every 200 ms, give up on a peer whose pong is 300 ms late. */
@Timeout(30)
class HeartbeatTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final long MARGIN_MS = 500;

    private static WebSocketServer start(Recorder rec) throws Exception {
        return WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/hb", rec, ConnectionSettings.defaults().withHeartbeat(INTERVAL, TIMEOUT))
                .build().start();
    }

    @Test
    void halfOpenPeerIsClosedAfterIntervalPlusTimeout() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = start(rec);
             RawPeer peer = RawPeer.upgraded(server.port(), "/hb")) {
            WebSocket<Object> ws = rec.nextOpen();
            Track t = rec.track(ws);
            // The peer now neither reads nor writes; its socket stays open.
            Closed c = t.closed.get(5, TimeUnit.SECONDS);
            long after = Support.millisBetween(t.openedAtNanos, t.closedAtNanos());
            assertEquals(1006, c.code(), "a peer taken for gone is reported as 1006: " + c);
            assertFalse(c.clean());
            long earliest = INTERVAL.toMillis() + TIMEOUT.toMillis();
            assertTrue(after >= earliest - 20, "closed after " + after + " ms, before the first ping could time out");
            assertTrue(after <= earliest + MARGIN_MS, "closed only after " + after + " ms (expected about " + earliest + ")");
            assertEquals(0, t.pongs.size());
            await(() -> server.openConnections() == 0, Duration.ofSeconds(5),
                    () -> "open connections still " + server.openConnections());
            assertEquals(1, server.stats().closes(1006));
            // What the peer was sent: the heartbeat ping(s), then the end of the TCP stream.
            List<Frame> frames = peer.readFramesToEnd();
            assertFalse(frames.isEmpty(), "the peer should have been pinged");
            assertEquals(Opcode.PING, frames.get(0).opcode());
            for (Frame f : frames) {
                assertTrue(f.opcode() == Opcode.PING || f.opcode() == Opcode.CLOSE, "unexpected frame " + f);
            }
            assertEquals(1, t.closeCalls.get());
        }
    }

    @Test
    void peerThatAnswersPingsStaysOpenAcrossManyIntervals() throws Exception {
        Recorder rec = new Recorder(true);
        try (WebSocketServer server = start(rec);
             WebSocketClient client = WebSocketClient.create()) {
            Recorder mine = new Recorder(false);
            WebSocket<Object> ws = client.connect(Support.uri(server.port(), "/hb"), mine).get(5, TimeUnit.SECONDS);
            WebSocket<Object> serverSide = rec.nextOpen();
            Track st = rec.track(serverSide);
            long watch = 8 * INTERVAL.toMillis();
            Thread.sleep(watch);
            assertFalse(st.closed.isDone(), () -> "closed although every ping was answered: " + st.closed.join());
            assertTrue(serverSide.isOpen());
            assertTrue(ws.isOpen());
            int expectedPings = (int) (watch / INTERVAL.toMillis());
            assertTrue(st.pongs.size() >= expectedPings - 3,
                    "server saw " + st.pongs.size() + " pongs in " + watch + " ms, expected about " + expectedPings);
            assertTrue(mine.track(ws).pings.size() >= expectedPings - 3);
            assertEquals(SendStatus.QUEUED, ws.sendText("alive"));
            assertEquals("alive", mine.track(ws).nextMessage(5).string());
            ws.close();
            Closed c = st.closed.get(5, TimeUnit.SECONDS);
            assertEquals(1000, c.code());
            assertTrue(c.clean());
            assertEquals(1000, mine.track(ws).closed.get(5, TimeUnit.SECONDS).code());
        }
    }
}
