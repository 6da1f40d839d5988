package io.tern.pubsub.redis;

import static io.tern.pubsub.redis.Node.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.pubsub.redis.Node.Inbox;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1,000 topics with their subscribers spread over three instances, six publishers (two per
 * instance) publishing to every topic at once: while Redis is up nothing is lost and nothing
 * arrives twice, and each publisher's messages keep their order on every subscriber.
 */
@Timeout(180)
class ManyTopicsTest {

    private static final int TOPICS = 1000;
    private static final int CONNECTIONS_PER_INSTANCE = 50;
    private static final int PUBLISHERS_PER_INSTANCE = 2;

    @Test
    void aThousandTopicsOverThreeInstancesLoseNothingAndDuplicateNothing() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             RedisCli cli = new RedisCli(redis.uri());
             WebSocketClient client = WebSocketClient.create(2)) {
            List<Node> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    String id = "n" + i;
                    nodes.add(new Node(redis.uri(), b -> b.instanceId(id).heartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))));
                }
                // connection j of every instance subscribes to the topics t with t % 50 == j: every
                // topic has one subscriber on each instance, each connection has 20 topics
                List<List<Inbox>> conns = new ArrayList<>();
                for (Node node : nodes) {
                    List<Inbox> inboxes = node.connect(client, CONNECTIONS_PER_INSTANCE, null);
                    for (int j = 0; j < CONNECTIONS_PER_INSTANCE; j++) {
                        for (int t = j; t < TOPICS; t += CONNECTIONS_PER_INSTANCE) {
                            inboxes.get(j).send("sub:t" + t);
                        }
                    }
                    conns.add(inboxes);
                }
                for (Node node : nodes) {
                    await("1000 topics subscribed on " + node.bridge.instanceId(), 30_000, () -> {
                        for (int t = 0; t < TOPICS; t++) {
                            if (node.pubsub.subscriberCount("t" + t) != 1 || !node.bridge.isSubscribed("t" + t)) {
                                return false;
                            }
                        }
                        return true;
                    });
                }
                cli.resetStats();
                List<Thread> publishers = new ArrayList<>();
                int publisherCount = nodes.size() * PUBLISHERS_PER_INSTANCE;
                for (int p = 0; p < publisherCount; p++) {
                    Node node = nodes.get(p % nodes.size());
                    int publisher = p;
                    Thread t = new Thread(() -> {
                        for (int round = 0; round < 2; round++) {
                            for (int topic = 0; topic < TOPICS; topic++) {
                                node.pubsub.publish("t" + topic, PreparedMessage.text(publisher + "/" + topic + "/" + round));
                            }
                        }
                    });
                    t.start();
                    publishers.add(t);
                }
                for (Thread t : publishers) {
                    t.join();
                }
                int perConnection = publisherCount * 2 * (TOPICS / CONNECTIONS_PER_INSTANCE);
                for (List<Inbox> inboxes : conns) {
                    for (int j = 0; j < inboxes.size(); j++) {
                        Inbox inbox = inboxes.get(j);
                        Map<String, Integer> lastRound = new HashMap<>();
                        Map<Integer, Integer> lastTopicOfRound = new HashMap<>();
                        for (int k = 0; k < perConnection; k++) {
                            String[] m = inbox.next().split("/");
                            int publisher = Integer.parseInt(m[0]);
                            int topic = Integer.parseInt(m[1]);
                            int round = Integer.parseInt(m[2]);
                            assertEquals(j, topic % CONNECTIONS_PER_INSTANCE, "only its own topics");
                            Integer prev = lastRound.put(publisher + "/" + topic, round);
                            assertEquals(prev == null ? 0 : prev + 1, round, "each (publisher, topic) once per round, in order");
                            int order = round * TOPICS + topic;
                            Integer before = lastTopicOfRound.put(publisher, order);
                            if (before != null && before >= order) {
                                throw new AssertionError("publisher " + publisher + " out of order: " + before + " then " + order);
                            }
                        }
                        inbox.expectNothing(0);
                    }
                }
                conns.get(0).get(0).expectNothing(200);
                long messages = (long) publisherCount * 2 * TOPICS;
                assertEquals(messages, cli.calls("publish"), "one PUBLISH per message per topic");
                for (Node node : nodes) {
                    assertEquals(0, node.bridge.stats().lost());
                    assertEquals(messages / nodes.size() * (nodes.size() - 1), node.bridge.stats().received());
                }
            } finally {
                nodes.forEach(Node::close);
            }
        }
        TimeUnit.MILLISECONDS.sleep(0);
    }
}
