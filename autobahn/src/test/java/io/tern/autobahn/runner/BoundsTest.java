package io.tern.autobahn.runner;

import io.tern.autobahn.catalogue.CaseEntry;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A case ends within its bound even when the peer stops reading and the runner's write blocks. */
class BoundsTest {

    /** Sends 48 MiB in one frame within a 1 s bound. */
    private static final class Flood extends AutobahnCase {
        Flood() {
            super("0.0.1", "flood", "the peer reads nothing");
        }

        @Override
        public Duration timeBound() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void onOpen(CaseContext ctx) {
            ctx.expect(Verdict.OK, List.of());
            ctx.send(OutFrame.of(OutFrame.BINARY, new byte[] {1}).repeatTo(48L << 20));
        }
    }

    @Test
    void aWriteToAPeerThatDoesNotReadIsCutOffByTheWatchdog() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    Handshake.Request req = Handshake.parseRequest(Handshake.readHead(in));
                    s.getOutputStream().write(Handshake.serverResponse(req.headers().get("sec-websocket-key"), null)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // never read again; hold the connection until the runner gives up
                    s.setSoTimeout(20_000);
                    Thread.sleep(15_000);
                } catch (Exception e) {
                    // the runner closed the connection
                }
            }, "non-reading-peer");
            peer.setDaemon(true);
            peer.start();
            long t0 = System.nanoTime();
            CaseResult r = CaseRuns.runAsClient(CaseEntry.of(Flood::new), 1,
                    URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/"), "stuck");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000 + CaseEngine.WATCHDOG_GRACE.toMillis() + 2000, ms + " ms");
            assertTrue(r.droppedByMe());
            // the runner never got to send its close: it dropped TCP at the bound, so the close verdict fails
            assertEquals(Verdict.FAILED, r.behaviorClose());
            peer.interrupt();
        }
    }
}
