package io.tern.pubsub;

import static io.tern.pubsub.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.pubsub.Clients.Inbox;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeRequest;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pub/sub over real connections: who receives a publish, order, the end of subscriptions with the
 * connection whatever ends it, direct and per-key sends, presence and counters.
 */
@Timeout(60)
class PubSubWireTest {

    /**
     * The server side of the tests: text commands {@code sub:T}, {@code unsub:T}, {@code pub:T:x}
     * (to all) and {@code pubx:T:x} (all but the sender); the connection's key is its query.
     */
    static final class Commands implements WebSocketHandler<Object> {
        final PubSub pubsub;
        final Map<Long, WebSocket<Object>> sockets = new ConcurrentHashMap<>();

        Commands(PubSub pubsub) {
            this.pubsub = pubsub;
        }

        @Override
        public UpgradeDecision<Object> onUpgrade(UpgradeRequest request) {
            return UpgradeDecision.accept(request.query());
        }

        @Override
        public void onOpen(WebSocket<Object> ws) {
            sockets.put(ws.id(), ws);
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            String[] c = StandardCharsets.UTF_8.decode(utf8).toString().split(":", 3);
            switch (c[0]) {
                case "sub" -> pubsub.subscribe(ws, c[1]);
                case "unsub" -> pubsub.unsubscribe(ws, c[1]);
                case "pub" -> pubsub.publish(c[1], PreparedMessage.text(c[2]));
                case "pubx" -> pubsub.publishExcept(c[1], PreparedMessage.text(c[2]), ws);
                default -> ws.sendText("unknown");
            }
        }
    }

    private static PubSub keyed(PresenceListener... listeners) {
        PubSub.Builder b = PubSub.builder().keyOf(ws -> ws.attachment());
        for (PresenceListener l : listeners) {
            b.presenceListener(l);
        }
        return b.build();
    }

    @Test
    void publishReachesEverySubscriberAndPublishExceptSkipsTheSender() throws Exception {
        PubSub pubsub = keyed();
        Commands handler = new Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults());
             WebSocketClient client = WebSocketClient.create(1)) {
            List<Inbox> c = Clients.connect(client, server, 3, null);
            c.get(0).socket.sendText("sub:room");
            c.get(1).socket.sendText("sub:room");
            await("two subscribers", () -> pubsub.subscriberCount("room") == 2);
            c.get(0).socket.sendText("pub:room:hello");
            assertEquals("hello", c.get(0).next(), "publish includes the sender");
            assertEquals("hello", c.get(1).next());
            c.get(0).socket.sendText("pubx:room:just you");
            assertEquals("just you", c.get(1).next());
            c.get(0).expectNothing(200);
            c.get(2).expectNothing(0);
            assertEquals(Set.of("room"), pubsub.topics());
            TopicStats s = pubsub.stats("room");
            assertEquals(2, s.subscribers());
            assertEquals(2, s.published());
            await("deliveries counted", () -> pubsub.stats("room").delivered() == 3);
            assertEquals(0, pubsub.stats("room").dropped());
            PublishResult r = pubsub.publishText("room", "counted");
            assertEquals(2, r.subscribers());
            assertEquals(new PublishResult.Outcome(2, 0), r.outcome().toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals(0, pubsub.publishText("nobody", "x").subscribers());
        }
    }

    @Test
    void messagesFromOnePublisherArriveInOrderAlsoBetweenTheSubscribersOwnSends() throws Exception {
        PubSub pubsub = PubSub.create();
        Commands handler = new Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults());
             WebSocketClient client = WebSocketClient.create(2)) {
            List<Inbox> c = Clients.connect(client, server, 40, null);
            for (Inbox i : c) {
                i.socket.sendText("sub:news");
            }
            await("forty subscribers", () -> pubsub.subscriberCount("news") == 40);
            WebSocket<Object> first = handler.sockets.values().iterator().next();
            int n = 500;
            for (int i = 0; i < n; i++) {
                first.sendText("own " + i);            // the subscriber's own send, from this thread
                pubsub.publishText("news", "pub " + i);
            }
            int sawOwn = 0;
            for (Inbox i : c) {
                int expected = 0;
                int own = 0;
                while (expected < n) {
                    String m = i.next();
                    if (m.startsWith("own ")) {
                        assertEquals("own " + own, m);
                        assertEquals(own, expected, "own sends and published messages keep their order");
                        own++;
                        continue;
                    }
                    assertEquals("pub " + expected, m);
                    expected++;
                }
                if (own > 0) {
                    while (own < n) { // the rest of its own sends, after the last published message
                        assertEquals("own " + own, i.next());
                        own++;
                    }
                    sawOwn++;
                }
            }
            assertEquals(1, sawOwn, "exactly one subscriber got the own sends");
        }
    }

    @Test
    void everySubscriptionEndsWithItsConnectionWhateverEndsIt() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        PubSub pubsub = keyed(new PresenceListener() {
            @Override
            public void topicInactive(String topic) {
                events.add("inactive " + topic);
            }
        });
        Commands handler = new Commands(pubsub);
        ConnectionSettings heartbeat = ConnectionSettings.defaults().withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(200));
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, heartbeat);
             WebSocketClient client = WebSocketClient.create(1)) {
            // Clean close, abort, and a client that does not answer pings (heartbeat timeout).
            List<Inbox> c = Clients.connect(client, server, 2, null);
            Inbox silent = new Inbox();
            silent.socket = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/t"), silent,
                    ConnectionSettings.defaults().withAutoPong(false).withHeartbeat(Duration.ZERO, Duration.ofSeconds(1)))
                    .get(5, TimeUnit.SECONDS);
            for (String topic : List.of("clean", "abort", "heartbeat")) {
                Inbox who = topic.equals("clean") ? c.get(0) : topic.equals("abort") ? c.get(1) : silent;
                who.socket.sendText("sub:" + topic);
                who.socket.sendText("sub:shared");
            }
            try (Socket raw = new Socket("127.0.0.1", server.port())) { // and a reset
                OutputStream out = raw.getOutputStream();
                out.write(("GET /t HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = raw.getInputStream();
                byte[] head = new byte[4096];
                int got = 0;
                while (!new String(head, 0, got, StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    got += in.read(head, got, 1);
                }
                byte[] sub = "sub:reset".getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[6 + sub.length];
                frame[0] = (byte) 0x81;
                frame[1] = (byte) (0x80 | sub.length);
                System.arraycopy(sub, 0, frame, 6, sub.length); // mask key 0: payload as is
                out.write(frame);
                out.flush();
                await("the raw subscriber", () -> pubsub.subscriberCount("reset") == 1);
                raw.setSoLinger(true, 0); // close with RST
            }
            await("all subscribed", () -> pubsub.subscriberCount("shared") == 3);
            c.get(0).socket.close();
            c.get(1).socket.abort();
            await("every subscription gone", () -> pubsub.topics().isEmpty());
            assertEquals(0, pubsub.totals().subscribers());
            assertEquals(Set.of("inactive clean", "inactive abort", "inactive heartbeat", "inactive shared",
                    "inactive reset"), Set.copyOf(events));
            assertEquals(5, events.size(), "each transition reported once: " + events);
            for (WebSocket<Object> ws : handler.sockets.values()) {
                assertEquals(Set.of(), pubsub.topicsOf(ws));
                assertEquals(SendStatus.CLOSED, pubsub.sendTo(ws.id(), PreparedMessage.text("x")));
            }
        }
    }

    @Test
    void directSendsReachOneConnectionOrEveryConnectionOfAKeyAndPresenceCountsUsersNotTabs() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        PubSub pubsub = keyed(new PresenceListener() {
            @Override
            public void topicActive(String topic) {
                events.add("active " + topic);
            }

            @Override
            public void topicInactive(String topic) {
                events.add("inactive " + topic);
            }

            @Override
            public void joined(String topic, Object key) {
                events.add(key + " joined " + topic);
            }

            @Override
            public void left(String topic, Object key) {
                events.add(key + " left " + topic);
            }
        });
        Commands handler = new Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults());
             WebSocketClient client = WebSocketClient.create(1)) {
            List<Inbox> ann = Clients.connect(client, server, 2, "ann");
            List<Inbox> bob = Clients.connect(client, server, 1, "bob");
            await("three known", () -> handler.sockets.size() == 3);
            assertEquals(2, pubsub.sendToKey("ann", PreparedMessage.text("to ann")));
            assertEquals("to ann", ann.get(0).next());
            assertEquals("to ann", ann.get(1).next());
            bob.get(0).expectNothing(100);
            long bobId = handler.sockets.values().stream().filter(w -> "bob".equals(w.attachment()))
                    .findFirst().orElseThrow().id();
            assertEquals(SendStatus.QUEUED, pubsub.sendTo(bobId, PreparedMessage.text("to bob")));
            assertEquals("to bob", bob.get(0).next());
            ann.get(0).expectNothing(100);

            // Each step waits for its presence event: events of different loops have no order between them.
            ann.get(0).socket.sendText("sub:room");
            await(() -> "ann in: " + events, () -> events.equals(List.of("active room", "ann joined room")));
            ann.get(1).socket.sendText("sub:room");
            await("ann's second tab in", () -> pubsub.subscriberCount("room") == 2);
            drainLoops(handler); // the count moves first; its presence step ends in the same loop task
            bob.get(0).socket.sendText("sub:room");
            await(() -> "bob in: " + events, () -> events.size() == 3);
            assertEquals(3, pubsub.subscriberCount("room"));
            ann.get(0).socket.close();
            await("ann's first tab out", () -> pubsub.subscriberCount("room") == 2);
            drainLoops(handler);
            ann.get(1).socket.sendText("unsub:room");
            await(() -> "ann out: " + events, () -> events.size() == 4);
            bob.get(0).socket.abort();
            await(() -> "room empty: " + events + " count " + pubsub.subscriberCount("room"),
                    () -> pubsub.subscriberCount("room") == 0 && events.size() == 6);
            assertEquals(List.of("active room", "ann joined room", "bob joined room", "ann left room",
                    "bob left room", "inactive room"), events);
        }
    }

    /** Waits until every server loop has run what was queued to it so far. */
    private static void drainLoops(Commands handler) throws InterruptedException {
        java.util.Set<java.util.concurrent.Executor> loops = new java.util.HashSet<>();
        for (WebSocket<Object> ws : handler.sockets.values()) {
            loops.add(ws.executor());
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(loops.size());
        for (java.util.concurrent.Executor loop : loops) {
            loop.execute(done::countDown);
        }
        assertTrue(done.await(10, TimeUnit.SECONDS), "the loops drained");
    }
}
