package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.JdkPeer;
import io.tern.transport.testkit.RawPeer;
import io.tern.transport.testkit.Recorder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A handler that throws: only its connection ends, with 1011, and the single loop keeps serving. */
@ExtendWith(NoLeakedLoops.class)
@Timeout(30)
class HandlerFailureWireTest {

    static final RuntimeException BOOM = new IllegalStateException("handler exploded on purpose");

    /** Echoes, but throws on "boom" and on "echo-then-boom" after having echoed. */
    static final class Exploding extends Recorder {
        Exploding() {
            super(false);
        }

        @Override
        public void onText(WebSocket<Object> socket, ByteBuffer utf8, boolean last) {
            String text = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
            if (text.equals("boom")) {
                throw BOOM;
            }
            socket.sendText(utf8);
            if (text.equals("echo-then-boom")) {
                throw BOOM;
            }
        }

        @Override
        public void onBinary(WebSocket<Object> socket, ByteBuffer data, boolean last) {
            socket.sendBinary(data);
        }
    }

    private static URI uri(WebSocketServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/x");
    }

    private static void assertEchoes(WebSocket<Object> ws, Recorder r, String text) throws Exception {
        ws.sendText(text);
        assertEquals(text, new String(r.nextMessage(5).data(), StandardCharsets.UTF_8));
    }

    @Test
    void throwingHandlerClosesOnlyItsConnectionWith1011() throws Exception {
        Exploding serverSide = new Exploding();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/x", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder beforeSide = new Recorder();
            WebSocket<Object> before = client.connect(uri(s), beforeSide).get(5, TimeUnit.SECONDS);
            assertEchoes(before, beforeSide, "before ✓");

            try (RawPeer peer = RawPeer.connect(s.port())) {
                peer.upgrade("/x");
                peer.sendFrame(0x1, Payloads.utf8("boom"));
                Frame close = peer.readFrame();
                assertEquals(0x8, close.opcode(), () -> "expected a close frame, got " + close);
                assertFalse(close.masked());
                assertEquals(1011, close.closeCode());
                peer.expectEof();
            }
            Throwable error = serverSide.errors.poll(5, TimeUnit.SECONDS);
            assertNotNull(error, "onError not called");
            assertSame(BOOM, error, "onError gets the handler's exception");

            assertEchoes(before, beforeSide, "still served");
            Recorder afterSide = new Recorder();
            WebSocket<Object> after = client.connect(uri(s), afterSide).get(5, TimeUnit.SECONDS);
            assertEchoes(after, afterSide, "opened after");
            assertTrue(before.isOpen());
            assertEquals(2, s.openConnections(), "only the failing connection closed");
            assertEquals(1, s.stats().closes(1011));
        }
    }

    @Test
    void messagesQueuedBeforeTheThrowGoOutBeforeThe1011Close() throws Exception {
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/x", new Exploding()).build().start();
             RawPeer peer = RawPeer.connect(s.port())) {
            peer.upgrade("/x");
            peer.sendFrame(0x1, Payloads.utf8("echo-then-boom"));
            Frame echo = peer.readFrame();
            assertEquals(0x1, echo.opcode());
            assertEquals("echo-then-boom", echo.text());
            assertEquals(1011, peer.readFrame().closeCode());
            peer.expectEof();
        }
    }

    @Test
    void ternAndJdkClientsSee1011() throws Exception {
        Exploding serverSide = new Exploding();
        try (WebSocketServer s = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/x", serverSide).build().start();
             WebSocketClient client = WebSocketClient.create()) {
            Recorder ternSide = new Recorder();
            WebSocket<Object> ws = client.connect(uri(s), ternSide).get(5, TimeUnit.SECONDS);
            ws.sendText("boom");
            assertEquals(1011, ternSide.awaitClose(5).code());
            assertFalse(ws.isOpen());

            JdkPeer listener = new JdkPeer();
            java.net.http.WebSocket jdk = JdkPeer.open(uri(s), listener);
            try {
                jdk.sendText("boom", true).get(5, TimeUnit.SECONDS);
                assertEquals(1011, listener.closed.get(5, TimeUnit.SECONDS).code());
            } finally {
                jdk.abort();
            }
            Recorder afterSide = new Recorder();
            WebSocket<Object> after = client.connect(uri(s), afterSide).get(5, TimeUnit.SECONDS);
            assertEchoes(after, afterSide, "the loop lives on");
        }
    }
}
