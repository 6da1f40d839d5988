package io.tern.pubsub.redis;

import static io.tern.pubsub.redis.Node.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.redis.Node.Inbox;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two and three Tern servers, each with its own pub/sub and bridge, on one real Redis: a publish
 * on any instance reaches every subscriber on every instance once and in order; publish-except
 * skips only the sender; direct sends and key sends cross instances; cluster counts and presence
 * agree everywhere; Redis runs one PUBLISH per message per topic.
 */
@Timeout(120)
class ClusterDeliveryTest {

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private static List<Node> nodes(int n, boolean sharded, String prefix) throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "n" + i;
            nodes.add(new Node(redis.uri(), b -> b.instanceId(id).sharded(sharded).channelPrefix(prefix)
                    .heartbeat(Duration.ofMillis(50), Duration.ofMillis(1000))));
        }
        return nodes;
    }

    private static void closeAll(List<Node> nodes) {
        nodes.forEach(Node::close);
    }

    @ParameterizedTest(name = "{0} instances")
    @ValueSource(ints = {2, 3})
    void everySubscriberOnEveryInstanceGetsEachMessageOnceInPublisherOrder(int instances) throws Exception {
        List<Node> nodes = nodes(instances, false, "deliver" + instances + ":");
        try (WebSocketClient client = WebSocketClient.create(2); RedisCli cli = new RedisCli(redis.uri())) {
            List<List<Inbox>> subs = new ArrayList<>();
            for (Node node : nodes) {
                List<Inbox> inboxes = node.connect(client, 3, null);
                inboxes.forEach(i -> i.send("sub:room"));
                subs.add(inboxes);
            }
            for (Node node : nodes) {
                await("subscribed on " + node.bridge.instanceId(),
                        () -> node.pubsub.subscriberCount("room") == 3 && node.bridge.isSubscribed("room"));
            }
            cli.resetStats();
            int perPublisher = 200;
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < instances; p++) {
                Node node = nodes.get(p);
                int publisher = p;
                Thread t = new Thread(() -> {
                    for (int m = 0; m < perPublisher; m++) {
                        node.pubsub.publish("room", PreparedMessage.text(publisher + "/" + m));
                    }
                });
                t.start();
                publishers.add(t);
            }
            for (Thread t : publishers) {
                t.join();
            }
            for (List<Inbox> inboxes : subs) {
                for (Inbox inbox : inboxes) {
                    int[] next = new int[instances];
                    for (int k = 0; k < instances * perPublisher; k++) {
                        String[] m = inbox.next().split("/");
                        int publisher = Integer.parseInt(m[0]);
                        assertEquals(next[publisher]++, Integer.parseInt(m[1]), "in publisher order, each once");
                    }
                    inbox.expectNothing(0);
                }
            }
            subs.get(0).get(0).expectNothing(200); // and nothing more: no duplicates
            for (List<Inbox> inboxes : subs) {
                for (Inbox inbox : inboxes) {
                    inbox.expectNothing(0);
                }
            }
            assertEquals((long) instances * perPublisher, cli.calls("publish"),
                    "one PUBLISH per message per topic, never one per subscriber (" + 3 * instances + " subscribers)");
            long received = nodes.stream().mapToLong(n -> n.bridge.stats().received()).sum();
            assertEquals((long) instances * perPublisher * (instances - 1), received,
                    "each instance frames each other instance's message once");
            assertEquals((long) instances * perPublisher, nodes.stream().mapToLong(n -> n.bridge.stats().echoes()).sum());

            // publish-except: the sender alone is skipped, on its instance and everywhere else
            subs.get(1).get(0).send("pubx:room:not for the sender");
            for (int n = 0; n < instances; n++) {
                for (int i = 0; i < 3; i++) {
                    if (n == 1 && i == 0) {
                        continue;
                    }
                    assertEquals("not for the sender", subs.get(n).get(i).next());
                }
            }
            subs.get(1).get(0).expectNothing(200);

            // binary stays binary across Redis
            subs.get(0).get(1).send("bin:room:bytes");
            for (List<Inbox> inboxes : subs) {
                for (Inbox inbox : inboxes) {
                    assertEquals("bin:bytes", inbox.next());
                }
            }

            // counts agree on every instance
            for (Node node : nodes) {
                await("cluster count on " + node.bridge.instanceId(),
                        () -> count(node, "room") == 3L * instances);
                assertEquals(Set.copyOf(nodes.stream().map(n -> n.bridge.instanceId()).toList()),
                        node.bridge.clusterInstances().toCompletableFuture().get(5, TimeUnit.SECONDS));
            }
            // an instance with no local subscriber takes none from Redis and unsubscribes
            subs.get(0).forEach(i -> i.send("unsub:room"));
            await("n0 unsubscribed", () -> !nodes.get(0).bridge.isSubscribed("room") && nodes.get(0).pubsub.subscriberCount("room") == 0);
            for (Node node : nodes) {
                await("cluster count after n0 left", () -> count(node, "room") == 3L * (instances - 1));
            }
            long before = nodes.get(0).bridge.stats().received();
            subs.get(1).get(0).send("pub:room:after n0 left");
            for (int n = 1; n < instances; n++) {
                for (Inbox inbox : subs.get(n)) {
                    assertEquals("after n0 left", inbox.next());
                }
            }
            subs.get(0).get(0).expectNothing(100);
            assertEquals(before, nodes.get(0).bridge.stats().received(), "n0 no longer receives the topic");
            assertEquals(0, nodes.stream().mapToLong(n -> n.bridge.stats().lost() + n.bridge.stats().malformed()).sum());
        } finally {
            closeAll(nodes);
        }
    }

    private static long count(Node node, String topic) {
        try {
            return node.bridge.clusterSubscriberCount(topic).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void directAndKeySendsCrossInstancesAndPresenceIsClusterWide() throws Exception {
        List<Node> nodes = nodes(3, false, "direct:");
        try (WebSocketClient client = WebSocketClient.create(2)) {
            Inbox alice0 = nodes.get(0).connect(client, 1, "alice").get(0);
            Inbox bob1 = nodes.get(1).connect(client, 1, "bob").get(0);
            Inbox bob2 = nodes.get(2).connect(client, 1, "bob").get(0);
            Inbox carol2 = nodes.get(2).connect(client, 1, "carol").get(0);
            alice0.send("sub:lobby");
            bob1.send("sub:lobby");
            bob2.send("sub:kitchen");
            for (int n = 1; n < 3; n++) {
                Node node = nodes.get(n);
                await("bob's channel on " + n, () -> node.bridge.isKeySubscribed("bob"));
            }
            // per key: every connection of bob, on every instance, and nobody else
            alice0.send("key:bob:hi bob");
            assertEquals("hi bob", bob1.next());
            assertEquals("hi bob", bob2.next());
            carol2.expectNothing(200);
            alice0.expectNothing(0);
            // a key with no topic at all is reached too: the route's connection listener made it known
            await("carol's channel on n2", () -> nodes.get(2).bridge.isKeySubscribed("carol"));
            alice0.send("key:carol:hi carol");
            assertEquals("hi carol", carol2.next());

            // by connection id: one connection of one instance
            long bob2Id = nodes.get(2).serverIdOf("bob");
            assertTrue(nodes.get(0).bridge.sendTo("n2", bob2Id, PreparedMessage.text("just this tab"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("just this tab", bob2.next());
            bob1.expectNothing(200);
            long alice0Id = nodes.get(0).serverIdOf("alice");
            assertTrue(nodes.get(0).bridge.sendTo("n0", alice0Id, PreparedMessage.text("local"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("local", alice0.next());
            assertFalse(nodes.get(0).bridge.sendTo("nowhere", 1, PreparedMessage.text("x"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS), "no instance listens there");

            // presence: where is bob, who is in the lobby; the same answer on every instance
            for (Node node : nodes) {
                await("bob's presence seen from " + node.bridge.instanceId(), () -> {
                    KeyPresence p = get(node.bridge.clusterPresence("bob"));
                    return p.byInstance().equals(Map.of("n1", Set.of("lobby"), "n2", Set.of("kitchen")));
                });
                await("lobby members seen from " + node.bridge.instanceId(),
                        () -> get(node.bridge.clusterKeys("lobby")).equals(Set.of("alice", "bob")));
                assertEquals(Set.of("kitchen", "lobby"), get(node.bridge.clusterPresence("bob")).topics());
                KeyPresence carol = get(node.bridge.clusterPresence("carol"));
                await("carol online without topics", () -> get(node.bridge.clusterPresence("carol")).byInstance()
                        .equals(Map.of("n2", Set.of())));
                assertFalse(get(node.bridge.clusterPresence("dave")).online());
                assertTrue(carol.online() || !carol.online()); // read twice without error
            }
            // bob closes on n1: gone from n1 everywhere
            bob1.socket.close(1000, "bye");
            for (Node node : nodes) {
                await("bob left n1, seen from " + node.bridge.instanceId(),
                        () -> get(node.bridge.clusterPresence("bob")).byInstance().equals(Map.of("n2", Set.of("kitchen"))));
            }
        } finally {
            closeAll(nodes);
        }
    }

    @Test
    void shardedPubSubCarriesTopicsAndKeysWithSpublish() throws Exception {
        List<Node> nodes = nodes(2, true, "sharded:");
        try (WebSocketClient client = WebSocketClient.create(2); RedisCli cli = new RedisCli(redis.uri())) {
            Inbox a = nodes.get(0).connect(client, 1, "ann").get(0);
            Inbox b = nodes.get(1).connect(client, 1, "ben").get(0);
            a.send("sub:s");
            b.send("sub:s");
            for (Node node : nodes) {
                await("subscribed", () -> node.bridge.isSubscribed("s") && node.bridge.isKeySubscribed(
                        node == nodes.get(0) ? "ann" : "ben"));
            }
            cli.resetStats();
            a.send("pub:s:sharded hello");
            assertEquals("sharded hello", a.next());
            assertEquals("sharded hello", b.next());
            b.send("key:ann:to ann");
            assertEquals("to ann", a.next());
            await("two SPUBLISH", () -> cli.calls("spublish") == 2);
            assertEquals(0, cli.calls("publish"));
        } finally {
            closeAll(nodes);
        }
    }

    static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
