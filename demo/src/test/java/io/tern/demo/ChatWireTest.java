package io.tern.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat protocol over the wire, with Tern's own client against the {@code /chat} route on
 * 127.0.0.1 (two server loops, so users land on different loops): presence per user, the room
 * count, messages with sender and time, direct messages, and an error or close for each kind of
 * bad input, without harm to the other users. Exact JSON texts are asserted: they are the
 * protocol the README documents.
 */
@Timeout(60)
class ChatWireTest {

    static final long NOW = 1_700_000_000_000L;
    static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private final AtomicLong nanos = new AtomicLong();
    private WebSocketServer server;
    private WebSocketClient client;
    private URI uri;

    /** Default sizes, a fixed wall clock, a rate clock that moves only when the test moves it. */
    private ChatLimits limits() {
        return ChatLimits.defaults().withRateClock(nanos::get).withWallClock(FIXED);
    }

    /** As {@link #limits()} with rate limits high enough never to matter. */
    private ChatLimits unlimited() {
        ChatLimits d = limits();
        return new ChatLimits(d.maxMessageBytes(), d.maxTextChars(), d.maxNameChars(), d.maxRoomChars(),
                d.maxRoomsPerConnection(), 1e6, 1e6, 1e6, 1e6, 1e9, 1e9, d.rateClock(), d.wallClock());
    }

    private ChatHandler start(ChatLimits limits) throws Exception {
        ChatHandler chat = ChatHandler.create(limits);
        server = WebSocketServer.builder()
                .address("127.0.0.1", 0)
                .loops(2)
                .route("/chat", chat, chat.settings(null))
                .build()
                .start();
        client = WebSocketClient.create(2);
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat");
        return chat;
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdown(java.time.Duration.ofSeconds(5));
        }
    }

    /** Connects and reads the welcome, which must state the limits. */
    private WireClient user(String label) throws Exception {
        WireClient c = WireClient.connect(client, uri, label);
        c.expect("{\"type\":\"welcome\",\"compressed\":false,\"limits\":{\"maxMessageBytes\":4096,\"maxTextChars\":1000,"
                + "\"maxNameChars\":24,\"maxRoomChars\":32,\"maxRooms\":8,\"messagesPerSecond\":5.0,\"burst\":10.0}}");
        return c;
    }

    private WireClient userUnlimited(String label) throws Exception {
        WireClient c = WireClient.connect(client, uri, label);
        assertEquals("welcome", c.nextJson().get("type").asText());
        return c;
    }

    private static String join(String room, String name) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}";
    }

    private static String say(String room, String text) {
        return "{\"type\":\"message\",\"room\":\"" + room + "\",\"text\":\"" + text + "\"}";
    }

    private static String members(String room, String names, int count) {
        return "{\"type\":\"members\",\"room\":\"" + room + "\",\"members\":[" + names + "],\"count\":" + count + "}";
    }

    private static String presence(String type, String room, String name, int count) {
        return "{\"type\":\"" + type + "\",\"room\":\"" + room + "\",\"name\":\"" + name + "\",\"count\":" + count + "}";
    }

    private static String message(String room, String from, String text) {
        return "{\"type\":\"message\",\"room\":\"" + room + "\",\"from\":\"" + from + "\",\"text\":\"" + text
                + "\",\"time\":" + NOW + "}";
    }

    @Test
    void twoUsersJoinChatSeeEachOtherComeAndGoAndTheCountChange() throws Exception {
        ChatHandler chat = start(limits());
        WireClient alice = user("alice");
        WireClient bob = user("bob");

        alice.send(join("lobby", "alice"));
        alice.expect(members("lobby", "\"alice\"", 1));
        bob.send(join("lobby", "bob"));
        bob.expect(members("lobby", "\"alice\",\"bob\"", 2));
        alice.expect(presence("joined", "lobby", "bob", 2));

        alice.send(say("lobby", "hi bob \u2713"));
        alice.expect(message("lobby", "alice", "hi bob \u2713")); // publish: the sender gets it too
        bob.expect(message("lobby", "alice", "hi bob \u2713"));
        bob.send(say("lobby", "hello alice"));
        bob.expect(message("lobby", "bob", "hello alice"));
        alice.expect(message("lobby", "bob", "hello alice"));
        assertEquals(Set.of("alice", "bob"), chat.members("lobby"));
        assertEquals(2, chat.pubsub().subscriberCount("lobby"));

        bob.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        bob.expect(presence("left", "lobby", "bob", 1));
        alice.expect(presence("left", "lobby", "bob", 1));
        bob.send(say("lobby", "still here?"));
        bob.expectError("unknown-room", "message");
        alice.expectNothingElse();

        bob.send(join("lobby", "bob"));
        bob.expect(members("lobby", "\"alice\",\"bob\"", 2));
        alice.expect(presence("joined", "lobby", "bob", 2));
        bob.close();
        assertEquals(1000, bob.awaitClose());
        alice.expect(presence("left", "lobby", "bob", 1)); // a closed connection leaves its rooms
        assertEquals(Set.of("alice"), chat.members("lobby"));
        alice.expectNothingElse();
    }

    @Test
    void theReadmeExampleIsWhatTheServerSays() throws Exception {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("## The chat demo");
        assertTrue(section >= 0, "README.md has a section \"The chat demo\"");
        int start = readme.indexOf("```text\n", section) + "```text\n".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        start(limits());
        WireClient bob = user("bob");
        bob.send(join("lobby", "bob"));
        bob.nextJson();
        WireClient alice = user("alice");
        int exchanges = 0;
        for (String line : example.split("\n")) {
            if (line.startsWith("\u2192 ")) {
                alice.send(line.substring(2));
            } else {
                assertTrue(line.startsWith("\u2190 "), line);
                alice.expect(line.substring(2));
                exchanges++;
            }
        }
        assertEquals(3, exchanges);
    }

    @Test
    void severalTabsOfOneUserAreOnePresence() throws Exception {
        start(limits());
        WireClient bob = user("bob");
        WireClient tab1 = user("alice tab 1");
        WireClient tab2 = user("alice tab 2");
        bob.send(join("lobby", "bob"));
        bob.expect(members("lobby", "\"bob\"", 1));

        tab1.send(join("lobby", "alice"));
        tab1.expect(members("lobby", "\"alice\",\"bob\"", 2));
        bob.expect(presence("joined", "lobby", "alice", 2));
        tab2.send(join("lobby", "alice"));
        tab2.expect(members("lobby", "\"alice\",\"bob\"", 2));
        bob.expectNothingElse(); // alice was already there
        tab1.expectNothingElse();

        bob.send(say("lobby", "one"));
        for (WireClient c : List.of(bob, tab1, tab2)) {
            c.expect(message("lobby", "bob", "one"));
        }

        tab2.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        tab2.expect(presence("left", "lobby", "alice", 2)); // the tab left; alice is still in
        bob.expectNothingElse();
        tab1.close();
        tab1.awaitClose();
        bob.expect(presence("left", "lobby", "alice", 1)); // her last tab in the room is gone
        bob.expectNothingElse();
    }

    @Test
    void aDirectMessageReachesEveryTabOfItsTargetAndTheSenderOnly() throws Exception {
        start(limits());
        WireClient tab1 = user("alice tab 1");
        WireClient tab2 = user("alice tab 2");
        WireClient bob = user("bob");
        WireClient carol = user("carol");
        tab1.send(join("lobby", "alice"));
        tab1.nextJson();
        tab2.send(join("lobby", "alice"));
        tab2.nextJson();
        bob.send(join("lobby", "bob"));
        bob.nextJson();
        carol.send(join("lobby", "carol"));
        carol.nextJson();
        tab1.expect(presence("joined", "lobby", "bob", 2));
        tab1.expect(presence("joined", "lobby", "carol", 3));
        tab2.expect(presence("joined", "lobby", "bob", 2));
        tab2.expect(presence("joined", "lobby", "carol", 3));
        bob.expect(presence("joined", "lobby", "carol", 3));

        bob.send("{\"type\":\"direct\",\"room\":\"lobby\",\"to\":\"alice\",\"text\":\"psst\"}");
        String direct = "{\"type\":\"direct\",\"room\":\"lobby\",\"from\":\"bob\",\"to\":\"alice\",\"text\":\"psst\",\"time\":"
                + NOW + "}";
        tab1.expect(direct);
        tab2.expect(direct);
        bob.expect(direct);
        carol.expectNothingElse();
        tab1.expectNothingElse();
        tab2.expectNothingElse();
        bob.expectNothingElse();

        bob.send("{\"type\":\"direct\",\"room\":\"lobby\",\"to\":\"dave\",\"text\":\"anyone?\"}");
        bob.expectError("unknown-user", "direct");
        bob.send("{\"type\":\"direct\",\"room\":\"attic\",\"to\":\"alice\",\"text\":\"up here\"}");
        bob.expectError("unknown-room", "direct");
        carol.expectNothingElse();
        tab1.expectNothingElse();
    }

    @Test
    void eachBadInputGetsItsErrorAndHarmsNobody() throws Exception {
        start(unlimited());
        WireClient alice = userUnlimited("alice");
        WireClient mallory = userUnlimited("mallory");
        alice.send(join("lobby", "alice"));
        alice.nextJson();

        mallory.send("");
        mallory.expectError("empty", null);
        mallory.socket().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        mallory.expectError("binary", null);
        for (String notJson : List.of("hello", "{\"type\":", "[1,2]", "42", "null",
                "{\"type\":\"leave\",\"room\":\"lobby\"} {}", "{\"type\":\"leave\",\"type\":\"join\"}")) {
            mallory.send(notJson);
            mallory.expectError("bad-json", null);
        }
        for (String incomplete : List.of("{}", "{\"type\":7}", "{\"room\":\"lobby\"}")) {
            mallory.send(incomplete);
            mallory.expectError("bad-request", null);
        }
        mallory.send("{\"type\":\"shout\",\"room\":\"lobby\"}");
        mallory.expectError("unknown-type", null);
        mallory.send("{\"type\":\"join\",\"room\":\"lobby\"}");
        mallory.expectError("bad-request", "join");
        mallory.send("{\"type\":\"join\",\"room\":5,\"name\":\"m\"}");
        mallory.expectError("bad-request", "join");
        mallory.send(join("no spaces", "mallory"));
        mallory.expectError("bad-room", "join");
        mallory.send(join("x".repeat(33), "mallory"));
        mallory.expectError("bad-room", "join");
        mallory.send(join("lobby", "<script>"));
        mallory.expectError("bad-name", "join");
        mallory.send(join("lobby", " mallory"));
        mallory.expectError("bad-name", "join");
        mallory.send(join("lobby", "m".repeat(25)));
        mallory.expectError("bad-name", "join");
        mallory.send(say("lobby", "not joined yet"));
        mallory.expectError("unknown-room", "message");
        mallory.send("{\"type\":\"leave\",\"room\":\"lobby\"}");
        mallory.expectError("unknown-room", "leave");

        mallory.send(join("lobby", "mallory"));
        mallory.nextJson();
        alice.expect(presence("joined", "lobby", "mallory", 2));
        mallory.send(join("lobby", "alice"));
        mallory.expectError("name-mismatch", "join");
        mallory.send(say("lobby", "   "));
        mallory.expectError("empty-text", "message");
        mallory.send("{\"type\":\"message\",\"room\":\"lobby\"}");
        mallory.expectError("bad-request", "message");
        mallory.send(say("lobby", "\u00e9".repeat(1001)));
        mallory.expectError("text-too-long", "message");
        mallory.send("{\"type\":\"direct\",\"room\":\"lobby\",\"text\":\"x\"}");
        mallory.expectError("bad-request", "direct");
        for (int i = 2; i <= 8; i++) {
            mallory.send(join("room" + i, "mallory"));
            assertEquals("members", mallory.nextJson().get("type").asText());
        }
        mallory.send(join("room9", "mallory"));
        mallory.expectError("too-many-rooms", "join");

        // none of it reached alice, and the room still works for both
        alice.expectNothingElse();
        mallory.send(say("lobby", "\u00e9".repeat(1000)));
        alice.expect(message("lobby", "mallory", "\u00e9".repeat(1000)));
        alice.send(say("lobby", "ok"));
        alice.expect(message("lobby", "alice", "ok"));
        mallory.expect(message("lobby", "mallory", "\u00e9".repeat(1000)));
        mallory.expect(message("lobby", "alice", "ok"));
    }

    @Test
    void anOversizeMessageClosesWith1009AndTheRoomCarriesOn() throws Exception {
        start(limits());
        WireClient alice = user("alice");
        WireClient bob = user("bob");
        alice.send(join("lobby", "alice"));
        alice.nextJson();
        bob.send(join("lobby", "bob"));
        bob.nextJson();
        alice.expect(presence("joined", "lobby", "bob", 2));

        bob.send(say("lobby", "x".repeat(4096))); // 4096 text characters make a message over 4096 bytes
        assertEquals(1009, bob.awaitClose());
        alice.expect(presence("left", "lobby", "bob", 1));
        alice.send(say("lobby", "still here"));
        alice.expect(message("lobby", "alice", "still here"));
    }

    @Test
    void aFastTypistGetsRateLimitedAndAFloodIsClosedWith1008WhileOthersLoseNothing() throws Exception {
        start(limits()); // 5/s in bursts of 10 before an error; 30/s in bursts of 60 before 1008
        WireClient alice = user("alice");
        WireClient bob = user("bob");
        alice.send(join("lobby", "alice"));
        alice.nextJson();
        bob.send(join("lobby", "bob"));
        bob.nextJson();
        alice.expect(presence("joined", "lobby", "bob", 2));
        // alice has spent one message of each bucket on her join, bob too

        for (int i = 1; i <= 9; i++) {
            bob.send(say("lobby", "m" + i));
        }
        bob.send(say("lobby", "over"));
        for (int i = 1; i <= 9; i++) {
            alice.expect(message("lobby", "bob", "m" + i));
            bob.expect(message("lobby", "bob", "m" + i));
        }
        String refused = bob.next();
        assertTrue(refused.startsWith("{\"type\":\"error\",\"code\":\"rate-limited\",\"reason\":\"rate limit exceeded: at most 5"
                + " messages a second in bursts of 10"), refused);

        nanos.addAndGet(1_000_000_000L); // one second: five more messages
        for (int i = 10; i <= 14; i++) {
            bob.send(say("lobby", "m" + i));
        }
        for (int i = 10; i <= 14; i++) {
            alice.expect(message("lobby", "bob", "m" + i));
            bob.expect(message("lobby", "bob", "m" + i));
        }

        // the flood: the 1008 bucket holds at most 60; after 11 messages and one second it was full
        // again, and m10..m14 left 55, which the flood spends (each refused by the other bucket)
        for (int i = 0; i < 56; i++) {
            bob.send(say("lobby", "flood"));
        }
        for (int i = 0; i < 55; i++) {
            bob.expectError("rate-limited", null);
        }
        assertEquals(1008, bob.awaitClose());
        alice.expect(presence("left", "lobby", "bob", 1));
        alice.send(say("lobby", "quiet now"));
        alice.expect(message("lobby", "alice", "quiet now"));
    }
}
