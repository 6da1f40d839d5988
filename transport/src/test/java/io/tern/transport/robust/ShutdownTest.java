package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown: 1001 to every peer, wait for their answers, leave no thread behind. */
@Timeout(40)
class ShutdownTest {

    private static final int TERN = 25;
    private static final int JDK = 25;

    @Test
    void shutdownSends1001ToEveryoneAndLeavesNoLoopThread() throws Exception {
        // Threads of other servers and clients in this JVM (if any) are not this test's business.
        Set<Thread> foreignServerLoops = Support.threads("tern-server-loop");
        Set<Thread> foreignClientLoops = Support.threads("tern-client-loop");
        Recorder rec = new Recorder(true);
        WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/s", rec).build().start();
        WebSocketClient client = WebSocketClient.create(2);
        Set<Thread> serverLoops = new HashSet<>(Support.threads("tern-server-loop"));
        serverLoops.removeAll(foreignServerLoops);
        Set<Thread> clientLoops = new HashSet<>(Support.threads("tern-client-loop"));
        clientLoops.removeAll(foreignClientLoops);
        assertEquals(2, serverLoops.size(), "server loop threads: " + serverLoops);
        assertEquals(2, clientLoops.size(), "client loop threads: " + clientLoops);
        try {
            int port = server.port();
            List<Recorder> tern = new ArrayList<>();
            List<WebSocket<Object>> ternSockets = new ArrayList<>();
            List<JdkPeer> jdk = new ArrayList<>();
            for (int i = 0; i < Math.max(TERN, JDK); i++) {
                if (i < TERN) {
                    Recorder r = new Recorder(false);
                    tern.add(r);
                    ternSockets.add(client.connect(Support.uri(port, "/s"), r).get(5, TimeUnit.SECONDS));
                }
                if (i < JDK) {
                    JdkPeer p = new JdkPeer();
                    jdk.add(p);
                    JdkPeer.open(Support.uri(port, "/s"), p);
                }
            }
            await(() -> server.openConnections() == TERN + JDK, Duration.ofSeconds(5),
                    () -> "open connections " + server.openConnections());

            long start = System.nanoTime();
            boolean allAnswered = server.shutdown(Duration.ofSeconds(5));
            long took = Support.millisSince(start);
            // Straight after shutdown returns: no loop thread of the server may be alive.
            boolean liveLoops = server.hasLiveLoops();
            List<String> leftover = Support.stillAlive(serverLoops);
            String fate = Support.fateOf(serverLoops);
            assertTrue(allAnswered, "shutdown reported unanswered connections after " + took + " ms");
            assertTrue(took < 4000, "shutdown took " + took + " ms although every peer answered");

            for (int i = 0; i < TERN; i++) {
                Closed c = tern.get(i).track(ternSockets.get(i)).closed.get(5, TimeUnit.SECONDS);
                assertEquals(1001, c.code(), "Tern client " + i + ": " + c);
                assertTrue(c.clean(), "Tern client " + i + ": " + c);
            }
            for (int i = 0; i < JDK; i++) {
                assertEquals(1001, jdk.get(i).closed.get(5, TimeUnit.SECONDS).code(), "JDK client " + i);
            }
            assertEquals(TERN + JDK, rec.tracks.size());
            for (Track t : rec.tracks.values()) {
                Closed c = t.closed.getNow(null);
                assertTrue(c != null && c.clean(), "server side: " + c);
                assertEquals(1, t.closeCalls.get());
            }
            assertEquals(0, server.openConnections());
            assertEquals(TERN + JDK, server.stats().connectionsClosed());
            // The listening socket is gone as well.
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
            });
            assertTrue(server.shutdown(Duration.ofSeconds(1)), "a second shutdown is a no-op");
            // Checked straight after shutdown returned (above), asserted last so the rest is checked too.
            assertFalse(liveLoops, "hasLiveLoops() true after shutdown returned: " + fate);
            assertEquals(List.of(), leftover, "server loop threads alive after shutdown returned: " + fate);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
            client.close();
        }
        List<String> clientThreads = Support.stillAlive(clientLoops);
        assertEquals(List.of(), clientThreads, "client loop threads alive after WebSocketClient.close() returned: "
                + Support.fateOf(clientLoops));
    }

    @Test
    void shutdownWithAPeerThatNeverAnswersReturnsFalseAndStillStopsEverything() throws Exception {
        Set<Thread> foreignServerLoops = Support.threads("tern-server-loop");
        Recorder rec = new Recorder(true);
        WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/s", rec).build().start();
        Set<Thread> serverLoops = new HashSet<>(Support.threads("tern-server-loop"));
        serverLoops.removeAll(foreignServerLoops);
        try (RawPeer mute = RawPeer.upgraded(server.port(), "/s");
             WebSocketClient client = WebSocketClient.create()) {
            WebSocket<Object> muteSide = rec.nextOpen();
            Recorder mine = new Recorder(false);
            WebSocket<Object> ws = client.connect(Support.uri(server.port(), "/s"), mine).get(5, TimeUnit.SECONDS);
            WebSocket<Object> ternSide = rec.nextOpen();

            long start = System.nanoTime();
            boolean allAnswered = server.shutdown(Duration.ofMillis(500));
            long took = Support.millisSince(start);
            boolean liveLoops = server.hasLiveLoops();
            List<String> leftover = Support.stillAlive(serverLoops);
            String fate = Support.fateOf(serverLoops);
            assertFalse(allAnswered, "one peer never answered, yet shutdown reported success");
            assertTrue(took >= 450 && took < 4000, "shutdown took " + took + " ms for a 500 ms timeout");

            Frame f = mute.readFrame();
            assertEquals(Opcode.CLOSE, f.opcode());
            assertEquals(1001, f.closeCode());
            try {
                assertEquals(null, mute.readFrameOrEnd(), "TCP closed after the shutdown");
            } catch (IOException reset) {
                // a reset is a close too
            }
            Closed m = rec.track(muteSide).closed.getNow(null);
            assertTrue(m != null, "onClose must have run before the loop stopped");
            assertFalse(m.clean());
            assertEquals(1006, m.code());
            Closed t = rec.track(ternSide).closed.getNow(null);
            assertTrue(t != null && t.clean() && t.code() == 1001, "answering peer: " + t);
            assertEquals(1001, mine.track(ws).closed.get(5, TimeUnit.SECONDS).code());
            assertEquals(0, server.openConnections());
            // Checked straight after shutdown returned (above), asserted last so the rest is checked too.
            assertFalse(liveLoops, "hasLiveLoops() true after shutdown returned: " + fate);
            assertEquals(List.of(), leftover, "server loop threads alive after shutdown returned: " + fate);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }
}
