package io.tern.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.Opcode;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import io.tern.transport.testkit.Frame;
import io.tern.transport.testkit.RawPeer;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every close frame and HTTP refusal Tern sends reaches the peer, even when the peer is still
 * sending and reads late: Tern half-closes and discards the peer's input for a while instead of
 * closing a socket with unread input (which makes the kernel answer with a reset that destroys
 * what the peer had not read yet). RFC 6455 §7.1.1, RFC 9112 §9.6.
 */
@Timeout(120)
class LastWordsWireTest {

    private static final int TRIES = 40;
    private static final int LIMIT = 1024;

    @Test
    void the1009ForAnOversizeMessageArrivesEveryTimeThoughThePeerIsStillSendingIt() throws Exception {
        ConnectionSettings small = ConnectionSettings.defaults().withMaxFrameSize(LIMIT).withMaxMessageSize(LIMIT);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/m", new WebSocketHandler<Object>() { }, small).build().start()) {
            byte[] message = Frame.clientFrame(Opcode.BINARY, new byte[2 << 20]); // 2 MiB: 1009 at its header
            for (int i = 0; i < TRIES; i++) {
                try (RawPeer peer = RawPeer.connect(server.port(), 4 << 20, 0)) {
                    peer.upgrade("/m");
                    peer.write(message); // the server fails the connection while this is still arriving
                    Thread.sleep(30);    // and we read late, as a busy peer would
                    Frame close = peer.readFrame();
                    assertEquals(Opcode.CLOSE, close.opcode(), "try " + i);
                    assertEquals(1009, close.closeCode(), "try " + i);
                    peer.expectEof();
                }
            }
        }
    }

    @Test
    void anHttpRefusalArrivesWholeThoughThePeerKeepsSending() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/m", new WebSocketHandler<Object>() { }).build().start()) {
            byte[] junk = new byte[1 << 20];
            for (int i = 0; i < TRIES; i++) {
                try (RawPeer peer = RawPeer.connect(server.port(), 4 << 20, 0)) {
                    // Sec-WebSocket-Version 12: refused with 426 at once, while a megabyte follows.
                    peer.writeAscii(peer.upgradeRequest("/m").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 12"));
                    peer.write(junk);
                    Thread.sleep(30);
                    RawPeer.Response response;
                    try {
                        response = peer.readResponse();
                    } catch (IOException e) {
                        throw new AssertionError("try " + i + ": the refusal was lost: " + e, e);
                    }
                    assertTrue(response.head().startLine().startsWith("HTTP/1.1 426 "),
                            "try " + i + ": " + response.head().startLine());
                    assertEquals("13", response.head().single("Sec-WebSocket-Version"));
                }
            }
        }
    }
}
