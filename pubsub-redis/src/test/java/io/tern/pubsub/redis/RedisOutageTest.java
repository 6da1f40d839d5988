package io.tern.pubsub.redis;

import static io.tern.pubsub.redis.Node.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.redis.Node.Inbox;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis killed (SIGKILL) in the middle of a run and a new, empty one started on the same port:
 * local delivery never stops; what is published meanwhile is counted as lost for the other
 * instance and never delivered late; after the reconnection every topic with local subscribers,
 * including one subscribed while Redis was away, carries messages across again, each once;
 * cluster counts come back.
 */
@Timeout(120)
class RedisOutageTest {

    @Test
    void localDeliveryGoesOnAndCrossInstanceDeliveryResumesAfterARestartWithoutDuplicates() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             Node n0 = new Node(redis.uri(), b -> b.instanceId("n0").heartbeat(Duration.ofMillis(50), Duration.ofMillis(1000))
                     .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).commandTimeout(Duration.ofSeconds(1)));
             Node n1 = new Node(redis.uri(), b -> b.instanceId("n1").heartbeat(Duration.ofMillis(50), Duration.ofMillis(1000))
                     .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).commandTimeout(Duration.ofSeconds(1)));
             WebSocketClient client = WebSocketClient.create(2)) {
            List<Inbox> local = n0.connect(client, 2, null);
            List<Inbox> remote = n1.connect(client, 2, null);
            for (Inbox i : local) {
                i.send("sub:a");
                i.send("sub:b");
            }
            for (Inbox i : remote) {
                i.send("sub:a");
                i.send("sub:b");
            }
            for (Node n : List.of(n0, n1)) {
                await("subscribed", () -> n.pubsub.subscriberCount("a") == 2 && n.pubsub.subscriberCount("b") == 2
                        && n.bridge.isSubscribed("a") && n.bridge.isSubscribed("b"));
            }
            publish(n0, "before", 50);
            expect(local, "before", 50, List.of("a", "b"));
            expect(remote, "before", 50, List.of("a", "b"));

            redis.kill();
            await("both bridges see Redis gone", () -> !n0.bridge.isConnected() && !n1.bridge.isConnected());
            Inbox late = n1.connect(client, 1, null).get(0);
            late.send("sub:c"); // subscribed while Redis is away
            await("c subscribed locally", () -> n1.pubsub.subscriberCount("c") == 1);
            publish(n0, "during", 50);
            expect(local, "during", 50, List.of("a", "b")); // local traffic never stops
            await("every message of the outage counted as lost", () -> n0.bridge.stats().lost() == 50);
            for (Inbox i : remote) {
                i.expectNothing(100);
            }

            redis.restart();
            await("reconnected and re-subscribed", () -> n0.bridge.isConnected() && n1.bridge.isConnected()
                    && n1.bridge.isSubscribed("a") && n1.bridge.isSubscribed("b") && n1.bridge.isSubscribed("c")
                    && n0.bridge.isSubscribed("a") && n0.bridge.isSubscribed("b"));
            assertTrue(n1.bridge.stats().reconnects() >= 1);
            publish(n0, "after", 50);
            n0.pubsub.publish("c", PreparedMessage.text("to c"));
            expect(local, "after", 50, List.of("a", "b"));
            expect(remote, "after", 50, List.of("a", "b")); // nothing of "during", nothing twice
            assertEquals("to c", late.next());
            for (Inbox i : remote) {
                i.expectNothing(100);
            }
            late.expectNothing(0);
            // the cluster view is rebuilt on the new Redis
            await("counts back", () -> ClusterDeliveryTest.get(n1.bridge.clusterSubscriberCount("a")) == 4
                    && ClusterDeliveryTest.get(n0.bridge.clusterSubscriberCount("c")) == 1);
            assertEquals(0, n1.bridge.stats().malformed());
        }
    }

    /** Publishes {@code tag-i} on topics a and b alternately: a gets even i, b odd i. */
    private static void publish(Node node, String tag, int n) {
        for (int i = 0; i < n; i++) {
            node.pubsub.publish(i % 2 == 0 ? "a" : "b", PreparedMessage.text(tag + "-" + i));
        }
    }

    private static void expect(List<Inbox> inboxes, String tag, int n, List<String> topics) throws InterruptedException {
        for (Inbox inbox : inboxes) {
            for (int i = 0; i < n; i++) {
                assertEquals(tag + "-" + i, inbox.next(), "in order, once, nothing lost while connected");
            }
        }
        assertEquals(2, topics.size());
        TimeUnit.MILLISECONDS.sleep(0);
    }
}
