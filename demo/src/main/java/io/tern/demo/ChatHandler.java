package io.tern.demo;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.pubsub.PubSub;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.RateLimit;
import io.tern.transport.UpgradeDecision;
import io.tern.transport.UpgradeRequest;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * The {@code /chat} route: rooms are pub/sub topics, a user is the pub/sub key (several tabs under
 * one name are one user), and the JSON protocol of {@link ChatProtocol} drives it. The README's
 * "The chat demo" section specifies what each request does and answers.
 *
 * <ul>
 * <li>{@code join} subscribes the connection to the room; the joiner gets {@code members}, and if
 *     it is the user's first connection there, everyone else in the room gets {@code joined}.</li>
 * <li>{@code leave} unsubscribes it; the leaver gets {@code left}, and if it was the user's last
 *     connection there, so does everyone still in the room (also when a connection closes).</li>
 * <li>{@code message} is published to the whole room, the sender included
 *     ({@link PubSub#publish}: every tab shows the same order and server time).</li>
 * <li>{@code direct} goes to every connection of the addressed user and of the sender
 *     ({@link PubSub#sendToKey}), and to no one else.</li>
 * <li>Anything refused gets one {@code error} and changes nothing.</li>
 * </ul>
 *
 * <p>Threading contract: one instance serves every connection of the route; its callbacks run on
 * each connection's event loop and share only thread-safe state (the pub/sub, the roster, the
 * protocol). Per-connection state lives in the {@link ChatSession} attachment. With
 * {@code --redis} ({@link #acrossInstances}), answers that need the other instances' member lists
 * (join, leave, direct) are sent when the bridge's read completes, on a Lettuce thread; they touch
 * only the thread-safe pub/sub and {@code WebSocket.sendText}.
 */
final class ChatHandler implements WebSocketHandler<ChatSession> {

    private final ChatLimits limits;
    private final ChatProtocol protocol;
    private final ChatRoster roster;
    private final PubSub pubsub;

    private ChatHandler(ChatLimits limits) {
        this.limits = limits;
        this.protocol = new ChatProtocol(limits);
        this.roster = new ChatRoster(protocol);
        this.pubsub = PubSub.builder()
                .keyOf(ws -> ((ChatSession) ws.attachment()).name())
                .presenceListener(roster)
                .build();
        roster.announceThrough(pubsub);
    }

    /**
     * Creates the chat with its own rooms.
     *
     * @param limits the limits and clocks
     * @return the handler
     */
    static ChatHandler create(ChatLimits limits) {
        return new ChatHandler(limits);
    }

    /**
     * The route's connection settings: the message limit (1009 beyond), the two rate limits, and
     * permessage-deflate as given.
     *
     * @param deflate the compression options, or null for none
     * @return the settings
     */
    ConnectionSettings settings(DeflateOptions deflate) {
        String refused = protocol.error(ChatProtocol.RATE_LIMITED, "rate limit exceeded: at most "
                + (int) limits.replyRatePerSecond() + " messages a second in bursts of " + (int) limits.replyBurst()
                + "; this message was dropped", null);
        return ConnectionSettings.defaults()
                .withMaxFrameSize(limits.maxMessageBytes())
                .withMaxMessageSize(limits.maxMessageBytes())
                .withDeflate(deflate)
                .withMessageInterceptors(List.of(
                        // a flood closes the connection with 1008; counts every message, refused ones too
                        RateLimit.perConnection(limits.closeRatePerSecond(), limits.closeBurst())
                                .bytes(limits.closeBytesPerSecond(), limits.closeBurstBytes())
                                .onExceeded(RateLimit.Action.CLOSE)
                                .clock(limits.rateClock())
                                .factory(),
                        // a fast typist gets an error for each message over the limit
                        RateLimit.perConnection(limits.replyRatePerSecond(), limits.replyBurst())
                                .onExceeded(RateLimit.Action.ERROR_REPLY)
                                .errorReply(refused)
                                .clock(limits.rateClock())
                                .factory()));
    }

    /**
     * The rooms' pub/sub, for counts and statistics.
     *
     * @return the pub/sub
     */
    PubSub pubsub() {
        return pubsub;
    }

    /**
     * The users in a room now.
     *
     * @param room the room
     * @return sorted names
     */
    Set<String> members(String room) {
        return roster.members(room);
    }

    @Override
    public UpgradeDecision<ChatSession> onUpgrade(UpgradeRequest request) {
        return UpgradeDecision.accept(new ChatSession());
    }

    @Override
    public void onOpen(WebSocket<ChatSession> ws) {
        ws.sendText(protocol.welcome(ws.isCompressed()));
    }

    @Override
    public void onText(WebSocket<ChatSession> ws, ByteBuffer utf8, boolean last) {
        ChatProtocol.Command command = protocol.read(utf8);
        if (command instanceof ChatProtocol.Join join) {
            join(ws, join);
        } else if (command instanceof ChatProtocol.Leave leave) {
            leave(ws, leave);
        } else if (command instanceof ChatProtocol.Say say) {
            say(ws, say);
        } else if (command instanceof ChatProtocol.Direct direct) {
            direct(ws, direct);
        } else {
            ChatProtocol.Invalid invalid = (ChatProtocol.Invalid) command;
            ws.sendText(protocol.error(invalid.code(), invalid.reason(), invalid.request()));
        }
    }

    @Override
    public void onBinary(WebSocket<ChatSession> ws, ByteBuffer data, boolean last) {
        ws.sendText(protocol.error(ChatProtocol.BINARY, "binary messages are not part of the chat protocol: send JSON text", null));
    }

    private void join(WebSocket<ChatSession> ws, ChatProtocol.Join join) {
        ChatSession session = ws.attachment();
        if (session.name() != null && !session.name().equals(join.name())) {
            ws.sendText(protocol.error(ChatProtocol.NAME_MISMATCH, "this connection is \"" + session.name()
                    + "\"; open another connection to use another name", "join"));
            return;
        }
        Set<String> rooms = pubsub.topicsOf(ws);
        if (rooms.contains(join.room())) {
            roster.membersEverywhere(join.room()).thenAccept(all -> ws.sendText(protocol.members(join.room(), all)));
            return;
        }
        if (rooms.size() >= limits.maxRoomsPerConnection()) {
            ws.sendText(protocol.error(ChatProtocol.TOO_MANY_ROOMS, "a connection may be in at most "
                    + limits.maxRoomsPerConnection() + " rooms; leave one first", "join"));
            return;
        }
        session.name(join.name());
        roster.takeJoined(); // nothing stale from an earlier subscribe on this loop
        pubsub.subscribe(ws, join.room()); // on the connection's own loop: done when it returns
        ChatRoster.Joined joined = roster.takeJoined();
        if (roster.isClustered()) {
            joinAcrossInstances(ws, join.room(), joined);
            return;
        }
        // The room hears "joined" before the joiner gets its answer: publish posts to every loop's
        // queue now, so whatever the answer leads the joiner's client to do next (another user
        // joining, a message) reaches the room after it. Answering first would let a reply from
        // another loop overtake the announcement.
        if (joined != null) {
            pubsub.publishExcept(joined.room(),
                    PreparedMessage.text(protocol.presence("joined", joined.room(), joined.name(), joined.count())), ws);
        }
        ws.sendText(protocol.members(join.room(), roster.members(join.room())));
    }

    /**
     * With {@code --redis}: the same as a local join, but members and counts come from every
     * instance (the bridge's view, which lags other instances by up to one heartbeat), so the
     * announcement and the answer leave once that view has been read.
     */
    private void joinAcrossInstances(WebSocket<ChatSession> ws, String room, ChatRoster.Joined joined) {
        roster.membersEverywhere(room).thenAccept(all -> {
            if (joined != null) {
                pubsub.publishExcept(room,
                        PreparedMessage.text(protocol.presence("joined", room, joined.name(), all.size())), ws);
            }
            ws.sendText(protocol.members(room, all));
        });
    }

    private void leave(WebSocket<ChatSession> ws, ChatProtocol.Leave leave) {
        if (!inRoom(ws, leave.room(), "leave")) {
            return;
        }
        pubsub.unsubscribe(ws, leave.room()); // announces "left" to the room if this was the user's last tab
        String name = ws.attachment().name();
        if (roster.isClustered()) {
            roster.membersEverywhere(leave.room()).thenAccept(all -> ws.sendText(protocol.presence("left", leave.room(),
                    name, all.size() - (all.contains(name) ? 1 : 0))));
            return;
        }
        ws.sendText(protocol.presence("left", leave.room(), name, roster.members(leave.room()).size()));
    }

    private void say(WebSocket<ChatSession> ws, ChatProtocol.Say say) {
        if (!inRoom(ws, say.room(), "message")) {
            return;
        }
        String json = protocol.message(say.room(), ws.attachment().name(), say.text(), limits.wallClock().millis());
        pubsub.publish(say.room(), PreparedMessage.text(json));
    }

    private void direct(WebSocket<ChatSession> ws, ChatProtocol.Direct direct) {
        if (!inRoom(ws, direct.room(), "direct")) {
            return;
        }
        String from = ws.attachment().name();
        if (roster.isClustered()) {
            directAcrossInstances(ws, direct, from);
            return;
        }
        if (!roster.members(direct.room()).contains(direct.to())) {
            ws.sendText(protocol.error(ChatProtocol.UNKNOWN_USER, "nobody called \"" + direct.to() + "\" is in room \""
                    + direct.room() + "\"", "direct"));
            return;
        }
        PreparedMessage message = PreparedMessage.text(
                protocol.direct(direct.room(), from, direct.to(), direct.text(), limits.wallClock().millis()));
        if (pubsub.sendToKey(direct.to(), message) == 0) {
            ws.sendText(protocol.error(ChatProtocol.UNKNOWN_USER, "\"" + direct.to() + "\" has just left", "direct"));
            return;
        }
        if (!from.equals(direct.to())) {
            pubsub.sendToKey(from, message); // the sender's own tabs show what was sent
        }
    }

    /**
     * With {@code --redis}: the addressee may be on any instance. {@code sendToKey} reaches its
     * connections everywhere through the bridge; the local count it returns says nothing about
     * the others, so the check is the cluster's member list.
     */
    private void directAcrossInstances(WebSocket<ChatSession> ws, ChatProtocol.Direct direct, String from) {
        long time = limits.wallClock().millis();
        roster.membersEverywhere(direct.room()).thenAccept(all -> {
            if (!all.contains(direct.to())) {
                ws.sendText(protocol.error(ChatProtocol.UNKNOWN_USER, "nobody called \"" + direct.to()
                        + "\" is in room \"" + direct.room() + "\"", "direct"));
                return;
            }
            PreparedMessage message = PreparedMessage.text(
                    protocol.direct(direct.room(), from, direct.to(), direct.text(), time));
            pubsub.sendToKey(direct.to(), message);
            if (!from.equals(direct.to())) {
                pubsub.sendToKey(from, message);
            }
        });
    }

    /**
     * Counts and lists users across instances from now on (with {@code --redis}).
     *
     * @param membersEverywhere the users of a room on every instance, as the bridge sees them
     */
    void acrossInstances(java.util.function.Function<String, java.util.concurrent.CompletionStage<Set<String>>> membersEverywhere) {
        roster.acrossInstances(membersEverywhere);
    }

    /** Whether the connection is in the room; if not, sends {@code unknown-room}. */
    private boolean inRoom(WebSocket<ChatSession> ws, String room, String request) {
        if (pubsub.topicsOf(ws).contains(room)) {
            return true;
        }
        ws.sendText(protocol.error(ChatProtocol.UNKNOWN_ROOM, "you are not in room \"" + room + "\": join it first", request));
        return false;
    }
}
