package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /broadcast} of the demo server as the run command starts it: every message from any
 * connection reaches every connection, the sender included, text as text and binary as binary,
 * each sender's messages in order; with and without permessage-deflate on the receivers.
 */
@Timeout(60)
class BroadcastTest {

    private static final int CLIENTS = 4;
    private static final int MESSAGES = 200;

    @Test
    void everyMessageReachesEveryConnectionTheSenderIncludedInOrder() throws Exception {
        WebSocketServer server = DemoServer.start(DemoServer.parse(new String[] {"--port", "0"}),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try (WebSocketClient client = WebSocketClient.create(2)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/broadcast");
            List<WireClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                ConnectionSettings settings = c % 2 == 0 ? ConnectionSettings.defaults()
                        : ConnectionSettings.defaults().withDeflate(DeflateOptions.defaults());
                clients.add(WireClient.connect(client, uri, "client " + c, settings));
            }
            assertTrue(clients.get(1).socket().isCompressed(), "the odd clients negotiated permessage-deflate");
            // every client subscribes on open, on its loop: wait until the topic has them all
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.openConnections() < CLIENTS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            clients.get(0).send("ready?");
            for (WireClient c : clients) {
                assertEquals("ready?", c.next());
            }

            for (int n = 0; n < MESSAGES; n++) {
                for (int c = 0; c < CLIENTS; c++) {
                    clients.get(c).send(c + ":" + n);
                }
            }
            // binary stays binary (0xff is no UTF-8), and in order after client 2's texts
            byte[] binary = ("2:" + MESSAGES + "\u00ff").getBytes(StandardCharsets.ISO_8859_1);
            clients.get(2).socket().sendBinary(ByteBuffer.wrap(binary));
            for (WireClient receiver : clients) {
                Map<String, Integer> nextFrom = new HashMap<>();
                for (int k = 0; k < CLIENTS * MESSAGES + 1; k++) {
                    String m = receiver.next();
                    String sender = m.substring(m.startsWith("binary:") ? 7 : 0, m.indexOf(':', m.startsWith("binary:") ? 7 : 0));
                    int expected = nextFrom.getOrDefault(sender, 0);
                    String want = expected == MESSAGES ? "binary:2:" + MESSAGES + "\u00ff" : sender + ":" + expected;
                    assertEquals(want, m, receiver.label + ": out of order");
                    nextFrom.put(sender, expected + 1);
                }
                assertEquals(0, receiver.received.size(), receiver.label + " got more than was sent");
            }
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }
}
