package io.tern.pubsub;

import static io.tern.pubsub.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.pubsub.Clients.Inbox;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads subscribe, unsubscribe and publish at once, over two loops, for many rounds:
 * after each round every count is exact, and subscribers that stayed subscribed received every
 * message exactly once, in each publisher's order.
 */
@Timeout(120)
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 30;
    private static final int TOGGLERS_PER_THREAD = 4;
    private static final int STEADY = 6;
    private static final int PUBLISHES_PER_ROUND = 20;
    private static final List<String> TOPICS = List.of("t0", "t1", "t2", "t3");

    @Test
    void countsAreExactAndSteadySubscribersGetEveryMessageOnceInOrder() throws Exception {
        PubSub pubsub = PubSub.create();
        PubSubWireTest.Commands handler = new PubSubWireTest.Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults());
             WebSocketClient client = WebSocketClient.create(2)) {
            List<Inbox> steady = Clients.connect(client, server, STEADY, "steady");
            Clients.connect(client, server, THREADS * TOGGLERS_PER_THREAD, "toggler");
            await("all connected", () -> handler.sockets.size() == STEADY + THREADS * TOGGLERS_PER_THREAD);
            List<WebSocket<Object>> steadyServerSide = new ArrayList<>();
            List<WebSocket<Object>> togglers = new ArrayList<>();
            for (WebSocket<Object> ws : handler.sockets.values()) {
                ("steady".equals(ws.attachment()) ? steadyServerSide : togglers).add(ws);
            }
            for (WebSocket<Object> ws : steadyServerSide) {
                for (String t : TOPICS) {
                    pubsub.subscribe(ws, t);
                }
            }
            await("steady subscribers", () -> pubsub.subscriberCount("t3") == STEADY);

            AtomicReference<Throwable> failure = new AtomicReference<>();
            CyclicBarrier roundEnd = new CyclicBarrier(THREADS + 1);
            List<Map<WebSocket<Object>, Set<String>>> expected = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int id = w;
                List<WebSocket<Object>> mine = togglers.subList(w * TOGGLERS_PER_THREAD, (w + 1) * TOGGLERS_PER_THREAD);
                Map<WebSocket<Object>, Set<String>> state = new HashMap<>();
                for (WebSocket<Object> ws : mine) {
                    state.put(ws, new HashSet<>());
                }
                expected.add(state);
                Thread t = new Thread(() -> {
                    Random random = new Random(id);
                    int seq = 0;
                    try {
                        for (int r = 0; r < ROUNDS; r++) {
                            for (int k = 0; k < PUBLISHES_PER_ROUND; k++) {
                                WebSocket<Object> ws = mine.get(random.nextInt(mine.size()));
                                String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                                if (state.get(ws).add(topic)) {
                                    pubsub.subscribe(ws, topic);
                                } else {
                                    state.get(ws).remove(topic);
                                    pubsub.unsubscribe(ws, topic);
                                }
                                String to = TOPICS.get(seq % TOPICS.size());
                                pubsub.publish(to, PreparedMessage.text("p" + id + ":" + seq));
                                seq++;
                            }
                            roundEnd.await(30, TimeUnit.SECONDS);
                            roundEnd.await(30, TimeUnit.SECONDS); // while the main thread checks
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "pubsub-worker-" + w);
                workers.add(t);
                t.start();
            }
            Set<Executor> loops = new HashSet<>();
            for (WebSocket<Object> ws : handler.sockets.values()) {
                loops.add(ws.executor());
            }
            for (int r = 0; r < ROUNDS; r++) {
                roundEnd.await(30, TimeUnit.SECONDS);
                drain(loops);
                Map<String, Integer> counts = new HashMap<>();
                for (String t : TOPICS) {
                    counts.put(t, STEADY);
                }
                for (Map<WebSocket<Object>, Set<String>> state : expected) {
                    for (Map.Entry<WebSocket<Object>, Set<String>> e : state.entrySet()) {
                        assertEquals(e.getValue(), pubsub.topicsOf(e.getKey()), "round " + r);
                        for (String t : e.getValue()) {
                            counts.merge(t, 1, Integer::sum);
                        }
                    }
                }
                for (String t : TOPICS) {
                    assertEquals(counts.get(t).intValue(), pubsub.subscriberCount(t), "round " + r + " topic " + t);
                }
                roundEnd.await(30, TimeUnit.SECONDS);
            }
            for (Thread t : workers) {
                t.join(30_000);
            }
            assertEquals(null, failure.get());

            // Every steady subscriber got every message of every publisher once, in order.
            int total = THREADS * ROUNDS * PUBLISHES_PER_ROUND;
            for (Inbox in : steady) {
                int[] next = new int[THREADS];
                for (int i = 0; i < total; i++) {
                    String m = in.next();
                    int colon = m.indexOf(':');
                    int publisher = Integer.parseInt(m.substring(1, colon));
                    int seq = Integer.parseInt(m.substring(colon + 1));
                    assertEquals(next[publisher], seq, "publisher " + publisher + "'s order, no loss, no duplicate");
                    next[publisher]++;
                }
                in.expectNothing(100);
            }
        }
    }

    /** Waits until every loop has run what was queued to it so far. */
    private static void drain(Set<Executor> loops) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(loops.size());
        for (Executor loop : loops) {
            loop.execute(done::countDown);
        }
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("loops did not drain");
        }
    }
}
