package io.tern.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Recorder;
import io.tern.transport.testkit.TlsCerts;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Echo over {@code wss://} between Tern's server and Tern's client (both roles over TLS): sizes
 * from 0 to 16 MiB, sent whole and in fragments, with and without permessage-deflate, over TLS 1.2
 * and TLS 1.3; every echo compared byte for byte, then a clean closing handshake (close frames,
 * then close_notify) on both sides.
 */
@Timeout(120)
class TlsEchoTest {

    static final List<Integer> SIZES = List.of(0, 1, 125, 126, 16_383, 16_384, 16_385, 65_535, 65_536, 1 << 20, 16 << 20);

    static final ConnectionSettings BIG = ConnectionSettings.defaults()
            .withMaxFrameSize(32 << 20)
            .withMaxMessageSize(32 << 20)
            .withOutboundLimits(64 << 10, 256 << 10, 64 << 20);

    static Stream<Arguments> combinations() {
        return Stream.of("TLSv1.2", "TLSv1.3").flatMap(p -> Stream.of(false, true).flatMap(deflate ->
                Stream.of(false, true).map(fragmented -> Arguments.of(p, deflate, fragmented))));
    }

    @ParameterizedTest(name = "{0} deflate={1} fragmented={2}")
    @MethodSource("combinations")
    void echoesEverySize(String protocol, boolean deflate, boolean fragmented) throws Exception {
        ConnectionSettings settings = deflate ? BIG.withDeflate(DeflateOptions.defaults()) : BIG;
        Recorder server = new Recorder(true);
        Recorder client = new Recorder();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                     .tls(TlsCerts.only(TlsCerts.server(), protocol))
                     .route("/echo", server, settings).build().start();
             WebSocketClient c = WebSocketClient.create(1, TlsCerts.client())) {
            WebSocket<Object> ws = c.connect(URI.create("wss://localhost:" + s.port() + "/echo"), client, settings)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(deflate, ws.isCompressed());
            SplittableRandom random = new SplittableRandom(protocol.hashCode() * 31L + (deflate ? 2 : 0) + (fragmented ? 1 : 0));
            for (int size : SIZES) {
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) (deflate && i % 3 != 0 ? 'a' + i % 7 : random.nextInt(256));
                }
                send(ws, data, fragmented);
                Recorder.Message echo = client.nextMessage(30);
                assertEquals(size, echo.data().length, "echo size");
                assertArrayEquals(data, echo.data(), () -> "echo of " + size + " bytes");
            }
            ws.close(1000, "done");
            assertEquals(new Recorder.Closed(1000, "", true), client.awaitClose(10));
            assertEquals(new Recorder.Closed(1000, "done", true), server.awaitClose(10));
            assertTrue(server.problems().isEmpty(), server.describe());
        }
    }

    private static void send(WebSocket<Object> ws, byte[] data, boolean fragmented) throws InterruptedException {
        if (!fragmented || data.length < 2) {
            await(ws, ws.sendBinary(ByteBuffer.wrap(data)));
            return;
        }
        int piece = Math.max(1, data.length / 5 + 1);
        for (int at = 0; at < data.length; at += piece) {
            int n = Math.min(piece, data.length - at);
            await(ws, ws.sendBinaryFragment(ByteBuffer.wrap(data, at, n), at + n == data.length));
        }
    }

    private static void await(WebSocket<Object> ws, SendStatus status) throws InterruptedException {
        assertTrue(status == SendStatus.QUEUED || status == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK, status::toString);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ws.queuedBytes() > (256 << 10) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
