package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes a peer pipelines behind a request the server refuses (a valid upgrade request and a frame,
 * sent in the same packet as the bad request) are dropped with that connection: the peer gets the
 * refusal and the end of the stream, nothing else; no connection opens; the frame reaches no
 * handler, and another connection of the same loop sees only its own messages.
 */
@Timeout(30)
class PipelinedAfterRefusalWireTest {

    /** Records every text message with the connection it arrived on; echoes it. */
    private static final class Record implements WebSocketHandler<Object> {
        final AtomicInteger opened = new AtomicInteger();
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

        @Override
        public void onOpen(WebSocket<Object> ws) {
            opened.incrementAndGet();
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            String text = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
            received.add(ws.id() + ":" + text);
            ws.sendText(utf8);
        }
    }

    private static String badRequest(String kind, RawPeer peer) {
        return switch (kind) {
            case "400" -> "GET /echo HTTP/1.1\r\nHost: " + peer.host() + "\r\nBad Header Line\r\n\r\n";
            case "404" -> peer.upgradeRequest("/nowhere");
            case "405" -> peer.upgradeRequest("/echo").replaceFirst("^GET ", "POST ");
            case "426" -> peer.upgradeRequest("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"400", "404", "405", "426"})
    void bytesAfterARefusedRequestGoNowhere(String status) throws Exception {
        Record handler = new Record();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/echo", handler).build().start();
             RawPeer other = RawPeer.upgraded(server.port(), "/echo");
             RawPeer smuggler = RawPeer.connect(server.port())) {
            Thread.sleep(50);
            assertEquals(1, handler.opened.get());
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.writeBytes(badRequest(status, smuggler).getBytes(StandardCharsets.US_ASCII));
            packet.writeBytes(smuggler.upgradeRequest("/echo").getBytes(StandardCharsets.US_ASCII));
            packet.writeBytes(Frame.clientFrame(Opcode.TEXT, "smuggled".getBytes(StandardCharsets.UTF_8)));
            smuggler.write(packet.toByteArray()); // one write: one packet on loopback

            String answer = new String(smuggler.readToEndOrReset(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
            assertEquals(1, count(answer, "HTTP/1.1 "), "exactly one response, then the end: " + answer);
            assertFalse(answer.contains("101 Switching Protocols"), answer);
            assertFalse(answer.contains("smuggled"), answer);

            // The other connection of the loop sees only its own message.
            other.sendText("mine");
            Frame echo = other.readFrame();
            assertEquals("mine", echo.text());
            other.expectSilence(200);
            assertEquals(1, handler.opened.get(), "the pipelined upgrade opened nothing");
            assertEquals(List.of("mine"), handler.received.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList());
            assertEquals(1, server.openConnections());
            assertEquals(1, server.stats().rejectedHandshakes());
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
