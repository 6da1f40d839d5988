package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.WebSocketServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent client, Node's {@code ws} ({@code demo/src/test/peers/node/chat.js}), chats
 * through {@code /chat} with permessage-deflate: four users join one by one (member lists and
 * counts checked), each sends 100 messages at once (every user must get all 400, each sender's
 * in order), bad JSON gets its error, and leaving and closing bring the count down.
 */
@Timeout(90)
class NodeChatTest {

    private static final int USERS = 4;
    private static final int MESSAGES = 100;

    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void nodeWsClientsChatInOrderAndSeeTheCounts(@TempDir Path temp) throws Exception {
        Path node = DemoPeers.node();
        ChatLimits d = ChatLimits.defaults();
        ChatHandler chat = ChatHandler.create(new ChatLimits(d.maxMessageBytes(), d.maxTextChars(), d.maxNameChars(),
                d.maxRoomChars(), d.maxRoomsPerConnection(), 1e6, 1e6, 1e6, 1e6, 1e9, 1e9, d.rateClock(), d.wallClock()));
        server = WebSocketServer.builder()
                .address("127.0.0.1", 0)
                .loops(2)
                .route("/chat", chat, chat.settings(DeflateOptions.defaults().withServerNoContextTakeover(true)))
                .build()
                .start();

        Path output = temp.resolve("node-chat.out");
        Process process = new ProcessBuilder(List.of(node.toString(), "chat.js",
                "ws://127.0.0.1:" + server.port() + "/chat", "node-room", Integer.toString(USERS), Integer.toString(MESSAGES)))
                .directory(DemoPeers.nodeDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        boolean exited = process.waitFor(75, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
        assertTrue(exited, "node chat.js did not finish within 75 s: " + printed);
        assertEquals(0, process.exitValue(), printed);

        String[] lines = printed.split("\n");
        JsonNode summary = WireClient.JSON.readTree(lines[lines.length - 1]);
        assertTrue(summary.path("ok").asBoolean(), printed);
        assertEquals(USERS, summary.path("users").asInt());
        for (JsonNode received : summary.path("received")) {
            assertEquals(USERS * MESSAGES, received.asInt(), printed);
        }
        for (JsonNode compressed : summary.path("compressed")) {
            assertTrue(compressed.asBoolean(), "the server reports permessage-deflate on every connection: " + printed);
        }
        assertTrue(summary.path("extensions").asText().startsWith("permessage-deflate"), printed);
        // the script closed every connection: the room empties on the server too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((chat.pubsub().subscriberCount("node-room") > 0 || !chat.members("node-room").isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, chat.pubsub().subscriberCount("node-room"));
        assertEquals(java.util.Set.of(), chat.members("node-room"));
    }
}
