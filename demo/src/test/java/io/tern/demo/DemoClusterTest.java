package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.pubsub.redis.RedisBridge;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two demo servers started as the README's two commands start them ({@code --redis}) on one real
 * Redis: a chat user on one instance talks with a user on the other (room messages, presence and
 * counts, a direct message both ways), and {@code /broadcast} spans both instances.
 */
@Timeout(90)
class DemoClusterTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void aChatUserOnOneInstanceTalksWithAUserOnTheOtherAndBroadcastSpansBoth() throws Exception {
        try (RedisProcess redis = RedisProcess.start(); WebSocketClient client = WebSocketClient.create(2)) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            WebSocketServer a = DemoServer.start(DemoServer.parse(new String[] {"--port", "0", "--redis", redis.uri()}),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            WebSocketServer b = DemoServer.start(DemoServer.parse(new String[] {"--port", "0", "--redis", redis.uri()}), QUIET);
            try {
                assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Sharing /chat rooms and /broadcast with every demo"
                        + " server on " + redis.uri()), printed.toString(StandardCharsets.UTF_8));
                RedisBridge roomsA = DemoCluster.bridgesOf(a).get(0);
                RedisBridge roomsB = DemoCluster.bridgesOf(b).get(0);

                WireClient alice = WireClient.connect(client, chat(a), "alice on A");
                WireClient bob = WireClient.connect(client, chat(b), "bob on B");
                assertEquals("welcome", alice.nextJson().get("type").asText());
                assertEquals("welcome", bob.nextJson().get("type").asText());
                alice.send("{\"type\":\"join\",\"room\":\"lobby\",\"name\":\"alice\"}");
                alice.expect("{\"type\":\"members\",\"room\":\"lobby\",\"members\":[\"alice\"],\"count\":1}");
                await("B sees alice in the lobby and A listens to it", () -> roomsA.isSubscribed("lobby")
                        && ClusterView.keys(roomsB, "lobby").equals(Set.of("alice")));

                bob.send("{\"type\":\"join\",\"room\":\"lobby\",\"name\":\"bob\"}");
                bob.expect("{\"type\":\"members\",\"room\":\"lobby\",\"members\":[\"alice\",\"bob\"],\"count\":2}");
                alice.expect("{\"type\":\"joined\",\"room\":\"lobby\",\"name\":\"bob\",\"count\":2}");
                await("B listens to the lobby and A sees bob", () -> roomsB.isSubscribed("lobby")
                        && roomsA.isKeySubscribed("alice") && roomsB.isKeySubscribed("bob")
                        && ClusterView.keys(roomsA, "lobby").equals(Set.of("alice", "bob")));

                alice.send("{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"hi bob\"}");
                JsonNode toBob = bob.nextJson();
                JsonNode toAlice = alice.nextJson();
                assertEquals(toAlice, toBob, "the same message, with the same server time, on both instances");
                assertEquals("message", toBob.get("type").asText());
                assertEquals("alice", toBob.get("from").asText());
                assertEquals("hi bob", toBob.get("text").asText());

                bob.send("{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"hi alice\"}");
                assertEquals("hi alice", alice.nextJson().get("text").asText());
                assertEquals("hi alice", bob.nextJson().get("text").asText());

                bob.send("{\"type\":\"direct\",\"room\":\"lobby\",\"to\":\"alice\",\"text\":\"psst\"}");
                JsonNode dm = alice.nextJson();
                assertEquals("direct", dm.get("type").asText());
                assertEquals("bob", dm.get("from").asText());
                assertEquals("alice", dm.get("to").asText());
                assertEquals("psst", dm.get("text").asText());
                assertEquals(dm, bob.nextJson(), "the sender's own copy");
                alice.send("{\"type\":\"direct\",\"room\":\"lobby\",\"to\":\"bob\",\"text\":\"back at you\"}");
                assertEquals("back at you", bob.nextJson().get("text").asText());
                assertEquals("back at you", alice.nextJson().get("text").asText());
                alice.send("{\"type\":\"direct\",\"room\":\"lobby\",\"to\":\"carol\",\"text\":\"?\"}");
                alice.expectError("unknown-user", "direct");
                alice.expectNothingElse();
                bob.expectNothingElse();

                // /broadcast: one connection on each instance, messages from each reach both
                WireClient castA = WireClient.connect(client, broadcast(a), "broadcast on A");
                WireClient castB = WireClient.connect(client, broadcast(b), "broadcast on B");
                RedisBridge allA = DemoCluster.bridgesOf(a).get(1);
                RedisBridge allB = DemoCluster.bridgesOf(b).get(1);
                await("both instances listen to /broadcast", () -> allA.isSubscribed(Broadcast.TOPIC)
                        && allB.isSubscribed(Broadcast.TOPIC));
                for (int i = 0; i < 50; i++) {
                    castA.send("from A " + i);
                    castB.send("from B " + i);
                }
                for (WireClient c : List.of(castA, castB)) {
                    int fromA = 0;
                    int fromB = 0;
                    for (int i = 0; i < 100; i++) {
                        String m = c.next();
                        if (m.startsWith("from A ")) {
                            assertEquals("from A " + fromA++, m);
                        } else {
                            assertEquals("from B " + fromB++, m);
                        }
                    }
                    assertEquals(List.of(50, 50), List.of(fromA, fromB), c.label);
                }

                // bob goes: alice hears it from the other instance
                bob.close();
                alice.expect("{\"type\":\"left\",\"room\":\"lobby\",\"name\":\"bob\",\"count\":1}");
            } finally {
                DemoCluster.leave(a);
                DemoCluster.leave(b);
                a.close();
                b.close();
            }
        }
    }

    @Test
    void anUnreachableRedisIsOneClearLineAndExitStatusOne() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: nothing listens there
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DemoServer.Outcome outcome = DemoServer.startOrExplain(
                new String[] {"--port", "0", "--redis", "redis://127.0.0.1:" + port}, QUIET,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(null, outcome.server());
        assertEquals(DemoServer.EXIT_CANNOT_START, outcome.exitStatus());
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("DemoServer: cannot connect to Redis at redis://127.0.0.1:" + port + ": "), text);
        assertEquals(1, text.lines().count(), text);
    }

    @Test
    void parsesTheRedisOption() {
        assertEquals(new DemoServer.Options("127.0.0.1", 9001, 16L << 20, true, "redis://127.0.0.1:6379"),
                DemoServer.parse(new String[] {"--redis", "redis://127.0.0.1:6379"}));
        assertEquals(null, DemoServer.parse(new String[0]).redis());
        assertEquals("--redis needs a value",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> DemoServer.parse(new String[] {"--redis"})).getMessage());
        assertEquals("--redis takes a redis:// or rediss:// URI: http://127.0.0.1:6379",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> DemoServer.parse(new String[] {"--redis", "http://127.0.0.1:6379"})).getMessage());
        assertTrue(DemoServer.USAGE.contains("--redis URI"));
    }

    private static URI chat(WebSocketServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/chat");
    }

    private static URI broadcast(WebSocketServer s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/broadcast");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Reads the bridge's cluster view synchronously, for the waits above. */
    private static final class ClusterView {
        static Set<String> keys(RedisBridge bridge, String room) {
            try {
                return bridge.clusterKeys(room).toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
