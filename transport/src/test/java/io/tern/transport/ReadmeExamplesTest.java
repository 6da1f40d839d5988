package io.tern.transport;

import static io.tern.transport.testkit.ReadmeBlocks.between;
import static io.tern.transport.testkit.ReadmeBlocks.dedent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the README's transport examples compiling and true: the code between each pair of
 * markers must be exactly the README's block after the matching HTML comment, and it must do what
 * the README says.
 */
@Timeout(30)
class ReadmeExamplesTest {

    /** A client handler that queues every text message it receives. */
    private static WebSocketHandler<Void> inbox(BlockingQueue<String> into) {
        return new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                into.add(StandardCharsets.UTF_8.decode(utf8).toString());
            }
        };
    }

    @Test
    void preparedMessageExampleReachesEveryConnection() throws Exception {
        List<WebSocket<Void>> room = new CopyOnWriteArrayList<>();
        WebSocketHandler<Void> join = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Void> ws) {
                room.add(ws);
            }
        };
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/room", join).build().start();
             WebSocketClient client = WebSocketClient.create(1)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/room");
            for (int i = 0; i < 3; i++) {
                client.connect(uri, inbox(received)).get(5, TimeUnit.SECONDS);
            }
            while (room.size() < 3) {
                Thread.sleep(1);
            }
            // PREPARED-EXAMPLE-BEGIN
            // One message framed once, sent to every connection of a room: one task per loop.
            PreparedMessage news = PreparedMessage.text("{\"type\":\"news\",\"text\":\"hello, room\"}");
            Map<Executor, List<WebSocket<Void>>> byLoop = new HashMap<>();
            for (WebSocket<Void> ws : room) {
                byLoop.computeIfAbsent(ws.executor(), loop -> new ArrayList<>()).add(ws);
            }
            byLoop.forEach((loop, sockets) -> loop.execute(() -> {
                for (WebSocket<Void> ws : sockets) {
                    ws.send(news);   // on its own loop: no copy, no task, no allocation per connection
                }
            }));
            // PREPARED-EXAMPLE-END
            for (int i = 0; i < 3; i++) {
                assertEquals("{\"type\":\"news\",\"text\":\"hello, room\"}", received.poll(5, TimeUnit.SECONDS));
            }
            assertEquals(2, byLoop.size(), "three connections over two loops");
        }
    }

    @Test
    void interceptorExampleRepliesToEmptyMessagesAndPassesTheRest() throws Exception {
        // MESSAGE-INTERCEPTOR-EXAMPLE-BEGIN
        // Messages on this route pass a rate limit, then a check of the application's own.
        MessageInterceptor.Factory noEmpty = socket -> (ws, text, payload, last) -> {
            if (payload.hasRemaining() || !last) {
                return payload;                           // pass it on, untouched
            }
            ws.sendText("{\"error\":\"empty message\"}");  // reply, and stop it here
            return null;
        };
        ConnectionSettings chat = ConnectionSettings.defaults().withMessageInterceptors(List.of(
                RateLimit.perConnection(20, 40)               // 20 messages a second, bursts of 40
                        .onExceeded(RateLimit.Action.ERROR_REPLY)
                        .factory(),
                noEmpty));
        // MESSAGE-INTERCEPTOR-EXAMPLE-END
        WebSocketHandler<Void> echo = new WebSocketHandler<>() {
            @Override
            public void onText(WebSocket<Void> ws, ByteBuffer utf8, boolean last) {
                ws.sendText(utf8);
            }
        };
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                .route("/chat", echo, chat).build().start();
             WebSocketClient client = WebSocketClient.create(1)) {
            WebSocket<Void> ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat"), inbox(received))
                    .get(5, TimeUnit.SECONDS);
            ws.sendText("");
            ws.sendText("hi");
            assertEquals("{\"error\":\"empty message\"}", received.poll(5, TimeUnit.SECONDS));
            assertEquals("hi", received.poll(5, TimeUnit.SECONDS));
            for (int i = 0; i < 45; i++) {
                ws.sendText("m");
            }
            int echoed = 0;
            int refused = 0;
            for (int i = 0; i < 45; i++) {
                String m = received.poll(5, TimeUnit.SECONDS);
                if (m.equals("m")) {
                    echoed++;
                } else {
                    assertEquals("{\"type\":\"error\",\"error\":\"rate limit exceeded\"}", m);
                    refused++;
                }
            }
            assertEquals(45, echoed + refused);
            assertEquals(true, refused >= 3 && echoed >= 38, echoed + " echoed, " + refused + " refused");
        }
    }

    @Test
    void readmeShowsExactlyTheseExamples() throws Exception {
        String test = Files.readString(Path.of("src/test/java/io/tern/transport/ReadmeExamplesTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String name : List.of("PREPARED", "MESSAGE-INTERCEPTOR")) {
            String code = between(test, "// " + name + "-EXAMPLE-BEGIN\n", "// " + name + "-EXAMPLE-END");
            String doc = between(readme, "<!-- " + name.toLowerCase(java.util.Locale.ROOT) + "-example -->\n```java\n", "```");
            assertEquals(dedent(code), dedent(doc), "README.md's " + name.toLowerCase(java.util.Locale.ROOT)
                    + " example must match ReadmeExamplesTest");
        }
    }
}
