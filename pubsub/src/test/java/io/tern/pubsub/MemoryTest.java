package io.tern.pubsub;

import static io.tern.pubsub.Clients.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.ConnectionSettings;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The heap cost of a subscription, measured at 100,000 subscriptions (1,000 connections × 100
 * topics): the heap after subscribing minus the heap before, both after full collections,
 * divided by the subscriptions. Also the cost of a topic (its registry entry and per-loop list).
 */
@Timeout(120)
class MemoryTest {

    private static final int CONNECTIONS = 1000;
    private static final int TOPICS = 100;

    @Test
    void aSubscriptionCostsAtMost64BytesOfHeap() throws Exception {
        PubSub pubsub = PubSub.create();
        PubSubWireTest.Commands handler = new PubSubWireTest.Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults().withHeartbeat(
                java.time.Duration.ZERO, java.time.Duration.ofSeconds(1)));
             WebSocketClient client = WebSocketClient.create(2)) {
            Clients.connect(client, server, CONNECTIONS, null);
            await("connected", () -> handler.sockets.size() == CONNECTIONS);
            List<WebSocket<Object>> sockets = new ArrayList<>(handler.sockets.values());
            Set<Executor> loops = new HashSet<>();
            for (WebSocket<Object> ws : sockets) {
                loops.add(ws.executor());
            }
            List<String> names = new ArrayList<>();
            for (int t = 0; t < TOPICS; t++) {
                names.add(("topic-" + t).intern());
            }
            // One subscription per topic first, so the registry entries exist before measuring.
            for (String name : names) {
                pubsub.subscribe(sockets.get(0), name);
            }
            drain(loops);
            long before = heapAfterGc();
            for (WebSocket<Object> ws : sockets.subList(1, sockets.size())) {
                for (String name : names) {
                    pubsub.subscribe(ws, name);
                }
            }
            drain(loops);
            long after = heapAfterGc();
            long subscriptions = (long) (CONNECTIONS - 1) * TOPICS;
            await("all subscribed", () -> pubsub.totals().subscribers() == CONNECTIONS * TOPICS);
            double perSubscription = (after - before) / (double) subscriptions;

            long beforeTopics = heapAfterGc();
            for (int t = 0; t < 2000; t++) {
                pubsub.subscribe(sockets.get(t % CONNECTIONS), "extra-" + t);
            }
            drain(loops);
            long afterTopics = heapAfterGc();
            double perTopic = (afterTopics - beforeTopics) / 2000.0;
            System.out.printf("pub/sub heap: %.1f bytes per subscription at %d subscriptions; %.0f bytes per topic"
                    + " with one subscriber%n", perSubscription, CONNECTIONS * TOPICS, perTopic);
            assertTrue(perSubscription <= 64, perSubscription + " bytes per subscription");
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void drain(Set<Executor> loops) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(loops.size());
        for (Executor loop : loops) {
            loop.execute(done::countDown);
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("loops did not drain");
        }
    }
}
