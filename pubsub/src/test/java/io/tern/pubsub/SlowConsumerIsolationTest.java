package io.tern.pubsub;

import static io.tern.pubsub.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.Clients.Inbox;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SlowConsumerPolicy;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One subscriber among 1,000 stops reading: every other subscriber receives every message in
 * order, the stalled one is handled by its slow-consumer policy, and publishing never waits for it.
 */
@Timeout(120)
class SlowConsumerIsolationTest {

    private static final int SUBSCRIBERS = 1000;
    private static final int MESSAGES = 600;
    /** Published before waiting for the readers: a publisher paced by its source, not a flood. */
    private static final int BATCH = 30;

    @ParameterizedTest
    @EnumSource(SlowConsumerPolicy.class)
    void aStalledSubscriberNeitherSlowsNorLosesTheOthers(SlowConsumerPolicy policy) throws Exception {
        PubSub pubsub = PubSub.create();
        PubSubWireTest.Commands handler = new PubSubWireTest.Commands(pubsub);
        ConnectionSettings tight = ConnectionSettings.defaults().withOutboundLimits(16 * 1024, 64 * 1024, 128 * 1024)
                .withSlowConsumerPolicy(policy);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, tight);
             WebSocketClient client = WebSocketClient.create(2);
             Socket stalled = new Socket()) {
            List<Inbox> readers = Clients.connect(client, server, SUBSCRIBERS, null);
            for (Inbox i : readers) {
                i.socket.sendText("sub:feed");
            }
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /t HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = stalled.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                head.append((char) in.read());
            }
            for (String command : List.of("sub:feed", "sub:bulk")) {
                byte[] sub = command.getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[6 + sub.length];
                frame[0] = (byte) 0x81;
                frame[1] = (byte) (0x80 | sub.length);
                System.arraycopy(sub, 0, frame, 6, sub.length); // mask key 0
                out.write(frame);
            }
            out.flush();
            await("all subscribed", () -> pubsub.subscriberCount("feed") == SUBSCRIBERS + 1
                    && pubsub.subscriberCount("bulk") == 1);
            // The stalled subscriber alone also gets 8 MB, more than the kernel's socket buffers
            // take: its queue reaches the hard limit whatever they are.
            for (int i = 0; i < 80; i++) {
                pubsub.publishBinary("bulk", java.nio.ByteBuffer.allocate(100 * 1024));
            }

            String body = "x".repeat(500);
            long publishNanos = 0;
            for (int batch = 0; batch < MESSAGES; batch += BATCH) {
                long start = System.nanoTime();
                for (int i = batch; i < batch + BATCH; i++) {
                    pubsub.publish("feed", PreparedMessage.text(i + ":" + body));
                }
                publishNanos = Math.max(publishNanos, System.nanoTime() - start);
                for (Inbox r : readers) {
                    for (int i = batch; i < batch + BATCH; i++) {
                        String m = r.next();
                        assertEquals(i + ":", m.substring(0, m.indexOf(':') + 1), "in order, none lost");
                    }
                }
            }
            long publishMillis = publishNanos / 1_000_000;
            await("the stalled subscriber's drops counted", () -> pubsub.totals().dropped() > 0);
            if (policy == SlowConsumerPolicy.CLOSE) {
                await("the stalled subscriber closed (1008) and unsubscribed",
                        () -> pubsub.subscriberCount("feed") == SUBSCRIBERS && server.stats().closes(1008) == 1);
            } else {
                assertEquals(SUBSCRIBERS + 1, pubsub.subscriberCount("feed"), "dropping keeps the subscriber");
            }
            long delivered = pubsub.stats("feed").delivered();
            assertTrue(delivered >= (long) SUBSCRIBERS * MESSAGES, "delivered " + delivered);
            // Publishing a batch only posts tasks: it never waits for a subscriber, stalled or not.
            assertTrue(publishMillis < 2_000, "slowest batch took " + publishMillis + " ms to publish");
        }
    }
}
