package io.tern.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What works over plain TCP works the same over TLS: heartbeats, graceful shutdown, limits. */
@Timeout(30)
class TlsBehaviourTest {

    @Test
    void heartbeatPingsAreAnsweredOverTls() throws Exception {
        Recorder server = new Recorder(true);
        Recorder client = new Recorder();
        ConnectionSettings beating = ConnectionSettings.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(1));
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).route("/echo", server, beating).build().start();
             WebSocketClient c = WebSocketClient.create(1, TlsCerts.client())) {
            WebSocket<Object> ws = c.connect(URI.create("wss://localhost:" + s.port() + "/echo"), client)
                    .get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                assertTrue(client.pings.poll(5, TimeUnit.SECONDS) != null, "heartbeat ping " + i);
            }
            Thread.sleep(1200); // longer than the pong timeout: the pongs kept it alive
            assertTrue(ws.isOpen());
            assertFalse(server.closed.isDone());
        }
    }

    @Test
    void gracefulShutdownSends1001OverTlsAndCompletes() throws Exception {
        Recorder server = new Recorder(true);
        Recorder client = new Recorder();
        WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).route("/echo", server).build().start();
        try (WebSocketClient c = WebSocketClient.create(1, TlsCerts.client())) {
            c.connect(URI.create("wss://localhost:" + s.port() + "/echo"), client).get(10, TimeUnit.SECONDS);
            assertTrue(s.shutdown(Duration.ofSeconds(5)), "every TLS connection closed within the timeout");
            assertEquals(new Recorder.Closed(1001, "server shutting down", true), client.awaitClose(5));
            assertEquals(1001, server.awaitClose(5).code());
            assertFalse(s.hasLiveLoops());
        }
    }

    @Test
    void preparedMessagesSharedByTlsAndPlainConnectionsArriveIntact() throws Exception {
        Recorder server = new Recorder();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).listen(new java.net.InetSocketAddress("127.0.0.1", 0), null)
                .route("/echo", server).build().start();
             WebSocketClient c = WebSocketClient.create(1, TlsCerts.client())) {
            java.util.List<Recorder> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Recorder r = new Recorder();
                clients.add(r);
                String uri = i % 2 == 0 ? "wss://localhost:" + s.port() : "ws://127.0.0.1:" + s.addresses().get(1).getPort();
                c.connect(URI.create(uri + "/echo"), r).get(10, TimeUnit.SECONDS);
            }
            byte[] big = new byte[100_000];
            new java.util.Random(3).nextBytes(big);
            io.tern.transport.PreparedMessage small = io.tern.transport.PreparedMessage.text("shared \u2713");
            io.tern.transport.PreparedMessage large = io.tern.transport.PreparedMessage.binary(java.nio.ByteBuffer.wrap(big));
            for (int i = 0; i < 4; i++) {
                WebSocket<Object> ws = server.nextOpen();
                for (int k = 0; k < 3; k++) {
                    ws.send(small);
                    ws.send(large);
                }
            }
            for (Recorder r : clients) {
                for (int k = 0; k < 3; k++) {
                    assertEquals("shared \u2713", r.nextMessage(5).string());
                    org.junit.jupiter.api.Assertions.assertArrayEquals(big, r.nextMessage(5).data());
                }
            }
        }
    }

    @Test
    void theMessageLimitFailsWith1009OverTls() throws Exception {
        Recorder server = new Recorder(true);
        Recorder client = new Recorder();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.server()).route("/echo", server, ConnectionSettings.defaults().withMaxMessageSize(1000))
                .build().start();
             WebSocketClient c = WebSocketClient.create(1, TlsCerts.client())) {
            WebSocket<Object> ws = c.connect(URI.create("wss://localhost:" + s.port() + "/echo"), client)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("x".repeat(1001));
            assertEquals(1009, client.awaitClose(5).code());
            assertEquals(1009, server.awaitClose(5).code());
        }
    }
}
