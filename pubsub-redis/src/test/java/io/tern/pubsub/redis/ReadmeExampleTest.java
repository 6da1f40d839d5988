package io.tern.pubsub.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tern.pubsub.PubSub;
import io.tern.transport.PreparedMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the README's bridge example compiling and true: the code between the markers below is
 * exactly the README's block after {@code <!-- redis-example -->}, and it runs against a real Redis.
 */
@Timeout(60)
class ReadmeExampleTest {

    /** The example's user attachment. */
    record User(String id) {
    }

    @Test
    void theReadmeExampleRunsAndMatchesTheReadme() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            String redisUri = redis.uri();
            String json = "{\"text\":\"hello\"}";
            String dm = "{\"text\":\"psst\"}";
            String userId = "alice";
            String instanceId = "elsewhere";
            long connectionId = 1;
            PreparedMessage message = PreparedMessage.text("just you");
            // REDIS-EXAMPLE-BEGIN
            PubSub rooms = PubSub.builder().keyOf(ws -> ((User) ws.attachment()).id()).build();
            RedisBridge bridge = RedisBridge.builder(rooms, redisUri).start();   // "redis://127.0.0.1:6379"
            rooms.publish("room:42", PreparedMessage.text(json));    // subscribers on every instance
            rooms.sendToKey(userId, PreparedMessage.text(dm));        // every tab of the user, wherever it is
            bridge.sendTo(instanceId, connectionId, message);         // one connection of one instance
            bridge.clusterSubscriberCount("room:42");                 // CompletionStage<Long>, all instances
            bridge.clusterPresence(userId);                           // on which instances, in which topics
            // REDIS-EXAMPLE-END
            try (bridge) {
                assertEquals(0L, bridge.clusterSubscriberCount("room:42").toCompletableFuture().get(5, TimeUnit.SECONDS));
                assertFalse(bridge.clusterPresence(userId).toCompletableFuture().get(5, TimeUnit.SECONDS).online());
                Node.await("the publish, the key send and the direct send reached Redis", () -> bridge.stats().published() == 3);
            }
        }
        String test = Files.readString(Path.of("src/test/java/io/tern/pubsub/redis/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertEquals(dedent(between(readme, "<!-- redis-example -->\n```java\n", "```")),
                dedent(between(test, "// REDIS-EXAMPLE-BEGIN\n", "// REDIS-EXAMPLE-END")));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new AssertionError("marker not found: " + start.trim());
        }
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString().strip();
    }
}
