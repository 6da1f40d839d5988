package io.tern.transport.robust;

import static io.tern.transport.robust.Support.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.SlowConsumerPolicy;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Track;
import io.tern.transport.testkit.TlsCerts;
import io.tern.transport.testkit.TlsRawClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Load over {@code wss://}: the 1,000-connection echo of {@link ManyConnectionsTest} (100 messages
 * each with sequence number, length and CRC32; all echoed once, in order, intact, closed cleanly),
 * and the slow consumer of {@link SlowConsumerTest} over TLS: a TLS peer that stops reading is
 * closed with 1008 by the slow-consumer policy while 100 other TLS connections stream on.
 */
@Timeout(240)
class TlsLoadTest {

    private static final int TARGET_CONNECTIONS = 1000;
    private static final int WAVE = 100;

    private static URI wss(int port) {
        return URI.create("wss://localhost:" + port + "/echo");
    }

    private static long freeFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    @Test
    void thousandTlsConnectionsHundredMessagesEachAllEchoedInOrderIntact() throws Exception {
        long free = freeFileDescriptors();
        int connections = free < 0 ? TARGET_CONNECTIONS : (int) Math.min(TARGET_CONNECTIONS, (free - 200) / 2);
        assumeTrue(connections >= 100, "only " + free + " free file descriptors (raise ulimit -n)");
        ManyConnectionsTest.Echo echo = new ManyConnectionsTest.Echo();
        long start = System.nanoTime();
        // TLS handshakes are slow in a cold JVM (the JDK's elliptic-curve code runs interpreted
        // at first): connect in waves, with handshake time limits to match.
        // The heartbeat is off: on a loaded machine the run can outlast its 30 s interval, and its
        // pings and pongs would then be counted among the frames checked below.
        ConnectionSettings patient = ConnectionSettings.defaults().withHandshakeTimeout(Duration.ofSeconds(90))
                .withHeartbeat(Duration.ZERO, Duration.ofSeconds(10));
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .handshakeTimeout(Duration.ofSeconds(90))
                .tls(TlsCerts.server()).route("/echo", echo, patient).build().start();
             WebSocketClient client = WebSocketClient.create(2, TlsCerts.client())) {
            List<ManyConnectionsTest.Peer> peers = new ArrayList<>();
            List<CompletableFuture<WebSocket<Object>>> connects = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                ManyConnectionsTest.Peer p = new ManyConnectionsTest.Peer(i);
                peers.add(p);
                connects.add(client.connect(wss(server.port()), p, patient));
                if (connects.size() % WAVE == 0) {
                    for (CompletableFuture<WebSocket<Object>> c : connects.subList(connects.size() - WAVE, connects.size())) {
                        c.get(90, TimeUnit.SECONDS);
                    }
                }
            }
            for (CompletableFuture<WebSocket<Object>> c : connects) {
                c.get(90, TimeUnit.SECONDS);
            }
            long connected = Support.millisSince(start);
            for (ManyConnectionsTest.Peer p : peers) {
                if (!p.onLoop) {
                    p.sendAllFromThisThread();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (ManyConnectionsTest.Peer p : peers) {
                p.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (ManyConnectionsTest.Peer p : peers) {
                Closed c = p.closed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertEquals(1000, c.code(), "connection " + p.id + " closed with " + c);
                assertTrue(c.clean(), "connection " + p.id + " closed uncleanly: " + c);
                assertEquals(0, p.extra.get(), "connection " + p.id + " got messages after its last echo");
            }
            await(() -> echo.closes.size() == connections, Duration.ofSeconds(10),
                    () -> "server saw " + echo.closes.size() + " closes");
            assertTrue(echo.errors.isEmpty(), () -> "server errors: " + echo.errors);
            for (Closed c : echo.closes) {
                assertEquals(1000, c.code(), "server side " + c);
                assertTrue(c.clean(), "server side " + c);
            }
            assertEquals(connections, echo.opened.get());
            long frames = (long) connections * (100 + 1);
            assertEquals(frames, server.stats().framesIn());
            assertEquals(frames, server.stats().framesOut());
            assertEquals(connections, server.stats().closes(1000));
            System.out.printf("TlsLoadTest: %d TLS connections open in %d ms, all echoed and closed in %d ms%n",
                    connections, connected, Support.millisSince(start));
        }
    }

    @Test
    void aTlsPeerThatStopsReadingIsClosedWhileHundredOthersStream() throws Exception {
        Recorder slowRec = new Recorder(false);
        Recorder echo = new Recorder(true);
        ConnectionSettings slowSettings = ConnectionSettings.defaults()
                .withOutboundLimits(16 * 1024, 64 * 1024, 256 * 1024)
                .withSlowConsumerPolicy(SlowConsumerPolicy.CLOSE)
                .withClosingTimeout(Duration.ofMillis(300));
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .tls(TlsCerts.server())
                .route("/echo", echo)
                .route("/slow", slowRec, slowSettings)
                .build().start();
             WebSocketClient client = WebSocketClient.create(2, TlsCerts.client());
             TlsRawClient slow = TlsRawClient.connect(server.port(), TlsCerts.clientContext(), "TLSv1.3")) {
            assertTrue(slow.upgrade("/slow").startsWith("HTTP/1.1 101 "));
            WebSocket<Object> slowWs = slowRec.nextOpen();
            Track st = slowRec.track(slowWs);
            SlowConsumerTest.Flooder flooder = new SlowConsumerTest.Flooder(slowWs);
            flooder.start();
            try {
                long start = System.nanoTime();
                List<SlowConsumerTest.Streamer> streamers = new ArrayList<>();
                List<CompletableFuture<WebSocket<Object>>> connects = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    SlowConsumerTest.Streamer s = new SlowConsumerTest.Streamer(i);
                    streamers.add(s);
                    connects.add(client.connect(wss(server.port()), s));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (CompletableFuture<WebSocket<Object>> c : connects) {
                    c.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                for (SlowConsumerTest.Streamer s : streamers) {
                    s.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                long streamed = Support.millisSince(start);
                Closed c = st.closed.get(10, TimeUnit.SECONDS);
                assertEquals(1008, c.code(), "CLOSE policy closes with 1008: " + c);
                assertFalse(c.clean(), "the consumer never answered the close frame");
                flooder.join(5000);
                assertFalse(flooder.isAlive(), "sends kept being accepted after the 1008 close");
                assertEquals(SendStatus.CLOSED, flooder.lastStatus.get());
                assertTrue(flooder.drops.get() > 0);
                assertEquals(1, server.stats().closes(1008));
                for (SlowConsumerTest.Streamer s : streamers) {
                    s.ws.close();
                }
                for (SlowConsumerTest.Streamer s : streamers) {
                    Closed sc = s.closed.get(10, TimeUnit.SECONDS);
                    assertEquals(1000, sc.code());
                    assertTrue(sc.clean());
                }
                System.out.printf("TlsLoadTest: 100 TLS streamers x %d echoes in %d ms beside a stuck TLS consumer%n",
                        200, streamed);
            } finally {
                flooder.stop = true;
            }
        }
    }
}
