package io.tern.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's own {@code java.net.http} WebSocket client over {@code wss://} against Tern's server
 * (the client trusts the test CA and checks the host name): text and binary echoes up to 1 MiB,
 * then a clean closing handshake, over TLS 1.2 and TLS 1.3.
 */
@Timeout(60)
class TlsJdkClientTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void jdkClientEchoesOverWss(String protocol) throws Exception {
        Recorder handler = new Recorder(true);
        HttpClient http = HttpClient.newBuilder().sslContext(TlsCerts.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .tls(TlsCerts.only(TlsCerts.server(), protocol))
                .route("/echo", handler).build().start()) {
            JdkPeer peer = new JdkPeer();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/echo"), peer)
                    .get(10, TimeUnit.SECONDS);
            Random random = new Random(7);
            for (int size : List.of(0, 1, 125, 126, 16_384, 65_536, (1 << 20) - 64)) {
                byte[] data = new byte[size];
                random.nextBytes(data);
                ws.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
                Recorder.Message echo = peer.nextMessage(10);
                assertArrayEquals(data, echo.data(), "binary echo of " + size + " bytes");
                String text = "wss \u2713 ".repeat(size / 8);
                ws.sendText(text, true).get(10, TimeUnit.SECONDS);
                assertEquals(text, new String(peer.nextMessage(10).data(), StandardCharsets.UTF_8));
            }
            ws.sendClose(1000, "jdk done").get(10, TimeUnit.SECONDS);
            assertEquals(1000, peer.closed.get(10, TimeUnit.SECONDS).code());
            Recorder.Closed closed = handler.awaitClose(10);
            assertEquals(new Recorder.Closed(1000, "jdk done", true), closed);
            assertTrue(handler.problems().isEmpty(), handler.describe());
        }
    }
}
