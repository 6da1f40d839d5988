package io.tern.pubsub.redis;

import static io.tern.pubsub.redis.ClusterDeliveryTest.get;
import static io.tern.pubsub.redis.Node.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.redis.Node.Inbox;
import io.tern.transport.WebSocketClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An instance that dies without a goodbye (its heartbeats stop and its Redis connections are cut,
 * as a crash or a network partition does): the other instances' cluster-wide counts and presence
 * forget it within the documented bound, one TTL after its last heartbeat.
 */
@Timeout(60)
class DeadInstanceTest {

    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration TTL = Duration.ofMillis(600);

    @Test
    void theOthersForgetADeadInstanceWithinOneTtl() throws Exception {
        ScheduledExecutorService doomedThread = Executors.newSingleThreadScheduledExecutor();
        try (RedisProcess redis = RedisProcess.start();
             RedisCli cli = new RedisCli(redis.uri());
             Node n0 = new Node(redis.uri(), b -> b.instanceId("n0").heartbeat(HEARTBEAT, TTL));
             Node n1 = new Node(redis.uri(), b -> b.instanceId("n1").heartbeat(HEARTBEAT, TTL));
             Node doomed = new Node(redis.uri(), b -> b.instanceId("doomed").heartbeat(HEARTBEAT, TTL)
                     .scheduler(doomedThread));
             WebSocketClient client = WebSocketClient.create(1)) {
            n0.connect(client, 1, "ann").get(0).send("sub:room");
            n1.connect(client, 1, "ben").get(0).send("sub:room");
            for (Inbox i : doomed.connect(client, 2, "zed")) {
                i.send("sub:room");
            }
            for (Node n : new Node[] {n0, n1}) {
                await("everyone seen from " + n.bridge.instanceId(), () -> get(n.bridge.clusterSubscriberCount("room")) == 4
                        && get(n.bridge.clusterPresence("zed")).byInstance().equals(Map.of("doomed", Set.of("room")))
                        && get(n.bridge.clusterInstances()).equals(Set.of("n0", "n1", "doomed")));
            }
            doomedThread.shutdownNow(); // no more heartbeats ...
            assertTrue(doomedThread.awaitTermination(5, TimeUnit.SECONDS));
            long diedAt = System.nanoTime();
            cli.killClientsOf("doomed"); // ... and its connections are gone

            for (Node n : new Node[] {n0, n1}) {
                await("the dead instance forgotten by " + n.bridge.instanceId(), TTL.toMillis() + 2_000,
                        () -> get(n.bridge.clusterSubscriberCount("room")) == 2
                                && !get(n.bridge.clusterPresence("zed")).online()
                                && get(n.bridge.clusterKeys("room")).equals(Set.of("ann", "ben"))
                                && get(n.bridge.clusterInstances()).equals(Set.of("n0", "n1")));
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - diedAt);
            assertTrue(tookMillis <= TTL.toMillis() + 250,
                    "forgotten " + tookMillis + " ms after the last heartbeat; the bound is the TTL, " + TTL.toMillis() + " ms");
            assertEquals(2, get(n0.bridge.clusterSubscriberCount("room")));
        }
    }
}
