package io.tern.transport.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node's {@code ws} sends a message over Tern's limit, 30 times: Tern fails each connection with
 * 1009 while the message is still arriving, and {@code ws} must see 1009 every time, not the 1006
 * of a connection reset (before Tern lingered after its close frame, it saw 1006 in 12 of 14).
 */
@Timeout(120)
class NodeWsLastWordsTest {

    private static final int TRIES = 30;

    @Test
    void everyOversizeMessageEndsWith1009AtTheNodePeer() throws Exception {
        Peers.Peer node = Peers.nodeWs();
        ConnectionSettings small = ConnectionSettings.defaults().withMaxFrameSize(64 * 1024).withMaxMessageSize(64 * 1024);
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/m", new WebSocketHandler<Object>() { }, small).build().start()) {
            List<String> command = new java.util.ArrayList<>(node.command());
            command.add(node.dir().resolve("oversize.js").toString());
            command.add("ws://127.0.0.1:" + server.port() + "/m");
            command.add(Integer.toString(TRIES));
            command.add(Integer.toString(4 << 20));
            try (PeerProcess run = PeerProcess.start(node.name() + " oversize", command, node.dir())) {
                int exit = run.awaitExit(Duration.ofSeconds(90));
                assertEquals(0, exit, run.transcript());
                assertEquals("OK closes=1009x" + TRIES, run.lastLine(), run.transcript());
            }
        }
    }
}
