package io.tern.pubsub.redis;

import static io.tern.pubsub.redis.Node.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.redis.Node.Inbox;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocketClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Redis delivers that is not a valid envelope, or too large, is dropped whole and counted,
 * and the bridge goes on; a local message over the limit stays local.
 */
@Timeout(60)
class BadInputTest {

    private static byte[] envelope(int kind, String origin, String payload) {
        return Envelope.encode(kind, origin.getBytes(StandardCharsets.UTF_8), 7, PreparedMessage.text(payload));
    }

    @Test
    void malformedAndOversizeMessagesFromRedisAreDroppedCountedAndSurvived() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             RedisCli cli = new RedisCli(redis.uri());
             Node node = new Node(redis.uri(), b -> b.instanceId("n0").maxMessageSize(64));
             WebSocketClient client = WebSocketClient.create(1)) {
            Inbox sub = node.connect(client, 1, "kim").get(0);
            sub.send("sub:room");
            await("subscribed", () -> node.bridge.isSubscribed("room") && node.bridge.isKeySubscribed("kim"));
            String room = "tern:t:room";
            byte[] good = envelope(Envelope.TOPIC, "other", "fine");
            byte[] badVersion = good.clone();
            badVersion[1] = 2;
            byte[] badMagic = good.clone();
            badMagic[0] = 'X';
            byte[] badKind = good.clone();
            badKind[2] = 9;
            byte[] badUtf8 = envelope(Envelope.TOPIC, "other", "ab");
            badUtf8[badUtf8.length - 1] = (byte) 0xC3; // a lead byte with nothing after it
            byte[] noOrigin = {Envelope.MAGIC, Envelope.VERSION, Envelope.TOPIC, 0, 'x'};
            byte[] truncatedDirect = Arrays.copyOf(envelope(Envelope.DIRECT, "other", ""), 10);
            byte[][] malformed = {
                new byte[0], "plain text".getBytes(StandardCharsets.UTF_8), badVersion, badMagic, badKind, badUtf8,
                noOrigin, truncatedDirect,
                envelope(Envelope.KEY, "other", "a key envelope on a topic channel"),
                envelope(Envelope.DIRECT, "other", "a direct envelope on a topic channel"),
            };
            for (byte[] m : malformed) {
                cli.publish(room, m);
            }
            cli.publish("tern:i:someone-else", envelope(Envelope.DIRECT, "other", "not for this instance"));
            cli.publish(room, envelope(Envelope.TOPIC, "other", "x".repeat(65))); // over the 64-byte limit
            cli.publish(room, good);
            assertEquals("fine", sub.next(), "the first valid message after all that");
            cli.publish("tern:k:kim", envelope(Envelope.KEY, "other", "to kim"));
            assertEquals("to kim", sub.next());
            sub.expectNothing(100);
            BridgeStats s = node.bridge.stats();
            assertEquals(malformed.length, s.malformed(), s.toString());
            assertEquals(1, s.oversize());
            assertEquals(2, s.received());

            // a local message over the limit reaches local subscribers but not Redis
            cli.resetStats();
            node.pubsub.publish("room", PreparedMessage.binary(ByteBuffer.allocate(65)));
            assertEquals("bin:" + "\0".repeat(65), sub.next());
            await("counted as too large", () -> node.bridge.stats().tooLarge() == 1);
            assertEquals(0, cli.calls("publish"));
        }
    }

    @Test
    void aSecondBridgeOnOnePubSubIsRefusedAndLeavesNothingBehind() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             Node node = new Node(redis.uri(), b -> b.instanceId("n0"));
             RedisCli cli = new RedisCli(redis.uri())) {
            int threads = Thread.activeCount();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> RedisBridge.builder(node.pubsub, redis.uri()).instanceId("n1").start());
            assertEquals("a relay is already attached to this pub/sub", e.getMessage());
            await("the refused bridge's connections are closed", () -> !cli.redis.clientList().contains("name=tern-n1 "));
            await("and its threads gone", () -> Thread.activeCount() <= threads);
        }
    }

    @Test
    void publishersThatOutrunRedisLoseMessagesAtOnceInsteadOfQueueingWithoutBound() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             Node node = new Node(redis.uri(), b -> b.instanceId("n0").maxPendingPublishes(2))) {
            int n = 2000;
            for (int i = 0; i < n; i++) {
                node.pubsub.publishText("fast", "m" + i);
            }
            await("every publish accounted for", () -> {
                BridgeStats s = node.bridge.stats();
                return s.pending() == 0 && s.published() + s.lost() == n;
            });
            BridgeStats s = node.bridge.stats();
            assertTrue(s.lost() > 0, "some found two already waiting: " + s);
            assertTrue(s.published() >= 2, s.toString());
        }
    }
}
