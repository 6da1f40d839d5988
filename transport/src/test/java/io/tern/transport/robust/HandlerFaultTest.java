package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import io.tern.codec.Opcode;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real sockets, with the transport's logger throwing on every record: a handler that throws
 * a {@code StackOverflowError} or an {@code OutOfMemoryError} (thrown by the handler itself, not
 * a real exhaustion) costs its own connection only. The one loop of the server survives, a
 * connection opened before keeps echoing, and new connections are served. Before the fix the
 * failing log call in the error path escaped the loop's handlers and ended the loop thread.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandlerFaultTest {

    /** Echoes text, but throws for the messages "overflow" and "oom". */
    static final class Fragile implements WebSocketHandler<Object> {
        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            String text = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
            switch (text) {
                case "overflow" -> throw new StackOverflowError("test: the handler recursed too deep");
                case "oom" -> throw new OutOfMemoryError("test: thrown by the handler, not a real exhaustion");
                default -> ws.sendText(utf8);
            }
        }
    }

    @Test
    void aHandlerThrowingErrorsWhileLoggingFailsCostsOnlyItsOwnConnection() throws Exception {
        try (FailingLogger log = FailingLogger.install();
             WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                     .route("/fragile", new Fragile()).build().start()) {
            int port = server.port();
            try (RawPeer bystander = RawPeer.upgraded(port, "/fragile")) {
                assertEcho(bystander, "before");
                for (String fatal : List.of("overflow", "oom")) {
                    try (RawPeer victim = RawPeer.upgraded(port, "/fragile")) {
                        victim.sendText(fatal);
                        // The connection ends: with a 1011 close frame when the error path can
                        // still write one, else plainly. It must end within the read timeout.
                        List<Frame> frames = Frame.parseAll(victim.readToEnd());
                        for (Frame f : frames) {
                            assertEquals(Opcode.CLOSE, f.opcode(), "nothing but a close frame after " + fatal);
                            assertEquals(1011, f.closeCode());
                        }
                    }
                    assertEcho(bystander, "still here after " + fatal);
                }
                try (RawPeer newcomer = RawPeer.upgraded(port, "/fragile")) {
                    assertEcho(newcomer, "a new connection");
                }
            }
            assertTrue(log.calls() > 0, "the error paths logged, and every log call threw");
            assertTrue(server.hasLiveLoops(), "the server's loop thread is alive");
            assertTrue(server.shutdown(Duration.ofSeconds(5)));
            assertFalse(server.hasLiveLoops());
        }
    }

    private static void assertEcho(RawPeer peer, String text) throws Exception {
        peer.sendText(text);
        Frame echo = peer.readFrame();
        assertEquals(Opcode.TEXT, echo.opcode());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), echo.payload());
    }
}
