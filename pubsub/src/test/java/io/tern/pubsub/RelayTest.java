package io.tern.pubsub;

import static io.tern.pubsub.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.pubsub.Clients.Inbox;
import io.tern.pubsub.PubSubWireTest.Commands;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hook of a broker bridge: a relay hears every publish and key send once (not once per
 * subscriber) and every presence event, key online and offline included; what a bridge feeds back
 * with {@code publishLocally} and {@code sendToKeyLocally} reaches local subscribers and is never
 * relayed.
 */
@Timeout(60)
class RelayTest {

    /** Records every call as a line. */
    static final class Recording implements Relay {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<PreparedMessage> messages = new CopyOnWriteArrayList<>();

        @Override
        public void published(String topic, PreparedMessage message) {
            calls.add("published " + topic);
            messages.add(message);
        }

        @Override
        public void sentToKey(Object key, PreparedMessage message) {
            calls.add("sentToKey " + key);
            messages.add(message);
        }

        @Override
        public void topicActive(String topic) {
            calls.add("active " + topic);
        }

        @Override
        public void topicInactive(String topic) {
            calls.add("inactive " + topic);
        }

        @Override
        public void joined(String topic, Object key) {
            calls.add("joined " + topic + " " + key);
        }

        @Override
        public void left(String topic, Object key) {
            calls.add("left " + topic + " " + key);
        }

        @Override
        public void keyOnline(Object key) {
            calls.add("online " + key);
        }

        @Override
        public void keyOffline(Object key) {
            calls.add("offline " + key);
        }
    }

    @Test
    void aRelayHearsEachPublishOnceAndWhatComesBackIsDeliveredButNotRelayed() throws Exception {
        PubSub pubsub = PubSub.builder().keyOf(ws -> ws.attachment()).build();
        Recording relay = new Recording();
        pubsub.attach(relay);
        assertThrows(IllegalStateException.class, () -> pubsub.attach(new Recording()));
        Commands handler = new Commands(pubsub);
        try (WebSocketServer server = Clients.server(pubsub, handler, 2, ConnectionSettings.defaults());
             WebSocketClient client = WebSocketClient.create(1)) {
            List<Inbox> alice = Clients.connect(client, server, 2, "alice");
            await("alice online", () -> relay.calls.contains("online alice"));
            alice.get(0).socket.sendText("sub:room");
            alice.get(1).socket.sendText("sub:room");
            await("two subscribers", () -> pubsub.subscriberCount("room") == 2);
            await("alice joined", () -> relay.calls.contains("joined room alice"));
            assertEquals(List.of("online alice", "active room", "joined room alice"), relay.calls);

            PreparedMessage hello = PreparedMessage.text("hello");
            pubsub.publish("room", hello);
            assertEquals("hello", alice.get(0).next());
            assertEquals("hello", alice.get(1).next());
            pubsub.publish("elsewhere", PreparedMessage.text("no local subscriber"));
            assertEquals(List.of("published room", "published elsewhere"), relay.calls.subList(3, 5),
                    "relayed once per publish, also without local subscribers");
            assertSame(hello, relay.messages.get(0), "the relay gets the message framed for local delivery");

            relay.calls.clear();
            pubsub.publishLocally("room", PreparedMessage.text("from afar"));
            assertEquals("from afar", alice.get(0).next());
            assertEquals("from afar", alice.get(1).next());
            assertEquals(2, pubsub.sendToKeyLocally("alice", PreparedMessage.text("to alice from afar")));
            assertEquals("to alice from afar", alice.get(0).next());
            assertEquals("to alice from afar", alice.get(1).next());
            assertEquals(List.of(), relay.calls, "nothing that came from afar goes back out");

            assertEquals(0, pubsub.sendToKey("bob", PreparedMessage.text("to bob")));
            assertEquals(List.of("sentToKey bob"), relay.calls, "a key send is relayed even with no local connection");

            relay.calls.clear();
            alice.get(0).socket.close(1000, "bye");
            alice.get(1).socket.close(1000, "bye");
            await("alice offline", () -> relay.calls.contains("offline alice"));
            assertEquals(List.of("left room alice", "inactive room", "offline alice"), relay.calls);

            pubsub.detach(relay);
            relay.calls.clear();
            pubsub.publishText("room", "after detach");
            assertEquals(List.of(), relay.calls);
        }
    }
}
