package io.tern.pubsub;

import io.tern.transport.ConnectionListener;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Topics (rooms, channels) over Tern connections: subscribe and unsubscribe connections, publish
 * to every subscriber of a topic, send to one connection by id or to every connection of a key
 * (a user's tabs), count, and hear of presence.
 *
 * <p>How it works: each event loop keeps the subscribers it owns in a structure only it writes
 * ({@link Shard}); a concurrent registry knows each topic's count and which loops have
 * subscribers of it. {@link #publish} frames the message once ({@link PreparedMessage}) and posts
 * one task to each of those loops, which queues the shared frame to its local subscribers inside
 * its ordinary batched flush: no per-subscriber copy, task or lambda. Messages from one publisher
 * reach every subscriber in publish order (the loop's task queue is FIFO), and keep their order
 * relative to the subscriber's own sends from that publisher's thread. A subscriber past its
 * backpressure limit is handled by its slow-consumer policy (the message is counted as dropped)
 * and never slows the others or the publisher.
 *
 * <p>Publish and subscribe take no locks. (The registry is a {@link ConcurrentHashMap}, whose
 * insertion of a new topic into an occupied bin briefly locks that bin; reads never do.)
 *
 * <p>Every subscription of a connection is removed when it closes, whatever the cause: the
 * pub/sub layer adds a close listener to each connection it meets.
 *
 * <pre>{@code
 * PubSub rooms = PubSub.builder().keyOf(ws -> ((User) ws.attachment()).id()).build();
 * // in a handler, on the connection's loop:
 * rooms.subscribe(ws, "room:42");
 * rooms.publishExcept("room:42", PreparedMessage.text(json), ws);   // everyone but the sender
 * }</pre>
 *
 * <p>Threading: every method is safe from any thread. Subscribe and unsubscribe take effect on
 * the connection's loop: at once when called there, else in call order after a hop.
 *
 * <p>Many instances: a {@link Relay} (a broker bridge) {@linkplain #attach attached} to the
 * pub/sub receives every publish and key send once, and feeds what other instances published back
 * in through {@link #publishLocally} and {@link #sendToKeyLocally}.
 *
 * <p>Why some 560 lines: it is the one public entry point, and most of it is the documented API
 * (subscribe, publish, direct sends, relay, counts); the per-loop lists, topics and counting are classes
 * of their own.
 */
public final class PubSub {

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Executor, Shard> shards = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Member> members = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Member[]> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<KeyInTopic, Counted> keyPresence = new ConcurrentHashMap<>();
    private final Function<WebSocket<?>, Object> keyOf;
    private final PresenceListener[] presence;
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** The attached relay (a broker bridge), or null; read once per publish. */
    private volatile Relay relay;
    private final ConnectionListener closer = new ConnectionListener() {
        @Override
        public void onClose(WebSocket<?> socket, int code, String reason, boolean clean) {
            forget(socket);
        }
    };

    /** A key's presence in a topic. */
    private record KeyInTopic(String topic, Object key) {
    }

    private PubSub(Builder b) {
        this.keyOf = b.keyOf;
        this.presence = b.presence.toArray(new PresenceListener[0]);
    }

    /**
     * A pub/sub with no keys and no presence listeners.
     *
     * @return a new instance
     */
    public static PubSub create() {
        return builder().build();
    }

    /**
     * Starts configuring a pub/sub.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ subscriptions

    /**
     * Subscribes a connection to a topic; does nothing if it already is (or is closed).
     *
     * @param socket an open connection
     * @param topic  the topic's name, not empty
     * @throws IllegalArgumentException for an empty topic name
     */
    public void subscribe(WebSocket<?> socket, String topic) {
        checkTopic(topic);
        socket.executor().execute(() -> {
            Member m = member(socket);
            if (m != null) {
                m.shard.subscribe(m, topic);
            }
        });
    }

    /**
     * Unsubscribes a connection from a topic; does nothing if it was not subscribed.
     *
     * @param socket the connection
     * @param topic  the topic's name
     */
    public void unsubscribe(WebSocket<?> socket, String topic) {
        checkTopic(topic);
        socket.executor().execute(() -> {
            Member m = members.get(socket.id());
            if (m != null) {
                m.shard.unsubscribe(m, topic);
            }
        });
    }

    /**
     * The topics a connection is subscribed to, as a snapshot (exact on the connection's loop).
     *
     * @param socket the connection
     * @return its topics, possibly empty
     */
    public Set<String> topicsOf(WebSocket<?> socket) {
        Member m = members.get(socket.id());
        return m == null ? Set.of() : Set.of(m.topics);
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Publishes to every subscriber of a topic, the sender included if it is one.
     *
     * @param topic   the topic
     * @param message the message, framed once for all
     * @return the subscriber count now and, later, the delivery outcome
     */
    public PublishResult publish(String topic, PreparedMessage message) {
        return publish(topic, message, null);
    }

    /**
     * Publishes to every subscriber of a topic but one, typically the sender (uWebSockets' and
     * Bun's {@code ws.publish}, Phoenix's {@code broadcast_from}).
     *
     * @param topic   the topic
     * @param message the message
     * @param except  the connection that does not get it, or {@code null} for none
     * @return the subscriber count now and, later, the delivery outcome
     */
    public PublishResult publishExcept(String topic, PreparedMessage message, WebSocket<?> except) {
        return publish(topic, message, except);
    }

    /**
     * Publishes a text message to every subscriber (the sender included); framed once here.
     *
     * @param topic the topic
     * @param text  the text
     * @return as {@link #publish(String, PreparedMessage)}
     */
    public PublishResult publishText(String topic, CharSequence text) {
        return publish(topic, PreparedMessage.text(text), null);
    }

    /**
     * Publishes a binary message to every subscriber (the sender included); framed once here.
     *
     * @param topic the topic
     * @param data  the bytes, position to limit (not changed)
     * @return as {@link #publish(String, PreparedMessage)}
     */
    public PublishResult publishBinary(String topic, ByteBuffer data) {
        return publish(topic, PreparedMessage.binary(data), null);
    }

    /**
     * Publishes to this instance's subscribers only, never handing the message to the attached
     * {@link Relay}: what a bridge calls for a message that arrived from another instance.
     * Without a relay it is the same as {@link #publish(String, PreparedMessage)}.
     *
     * @param topic   the topic
     * @param message the message, framed once for all
     * @return the local subscriber count now and, later, the delivery outcome
     */
    public PublishResult publishLocally(String topic, PreparedMessage message) {
        return publishHere(topic, message, null);
    }

    private PublishResult publish(String name, PreparedMessage message, WebSocket<?> except) {
        PublishResult result = publishHere(name, message, except);
        Relay r = relay;
        if (r != null) {
            try {
                r.published(name, message);
            } catch (RuntimeException ignored) {
                // a relay cannot stop a local publish
            }
        }
        return result;
    }

    private PublishResult publishHere(String name, PreparedMessage message, WebSocket<?> except) {
        Objects.requireNonNull(message, "message");
        published.increment();
        Topic topic = topics.get(name);
        if (topic == null) {
            return new PublishResult(0, 0);
        }
        topic.published.increment();
        Shard[] targets = topic.shards;
        PublishResult result = new PublishResult(topic.current(), targets.length);
        for (Shard shard : targets) {
            shard.loop.execute(() -> shard.deliver(topic, message, except, result));
        }
        return result;
    }

    // ------------------------------------------------------------------ direct sends

    /**
     * Sends to one connection by its {@link WebSocket#id()}, if the pub/sub layer knows it (it
     * has subscribed, or {@link #connectionListener()} is configured on its route).
     *
     * @param connectionId the connection's id
     * @param message      the message
     * @return what became of it; {@link SendStatus#CLOSED} for an unknown id
     */
    public SendStatus sendTo(long connectionId, PreparedMessage message) {
        Member m = members.get(connectionId);
        return m == null ? SendStatus.CLOSED : m.socket.send(message);
    }

    /**
     * Sends to every known connection of a key (for example every tab of one user), and hands
     * the message to the attached {@link Relay}, if any, for the key's connections elsewhere.
     *
     * @param key     the key, as {@link Builder#keyOf} computes it
     * @param message the message
     * @return how many connections of this instance it was queued for
     */
    public int sendToKey(Object key, PreparedMessage message) {
        int queued = sendToKeyLocally(key, message);
        Relay r = relay;
        if (r != null) {
            try {
                r.sentToKey(key, message);
            } catch (RuntimeException ignored) {
                // a relay cannot stop a local send
            }
        }
        return queued;
    }

    /**
     * Sends to every connection of a key on this instance only, never relayed: what a bridge
     * calls for a key send that arrived from another instance.
     *
     * @param key     the key
     * @param message the message
     * @return how many connections it was queued for
     */
    public int sendToKeyLocally(Object key, PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        Member[] all = byKey.get(key);
        int queued = 0;
        if (all != null) {
            for (Member m : all) {
                SendStatus s = m.socket.send(message);
                if (s == SendStatus.QUEUED || s == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK) {
                    queued++;
                }
            }
        }
        return queued;
    }

    /**
     * A listener to add to a route's settings so that every connection is known (for
     * {@link #sendTo} and {@link #sendToKey}) from its open, before it subscribes to anything:
     * {@code ConnectionSettings.withConnectionListeners(List.of(pubsub.connectionListener()))}.
     *
     * @return the listener
     */
    public ConnectionListener connectionListener() {
        return new ConnectionListener() {
            @Override
            public void onOpen(WebSocket<?> socket) {
                member(socket);
            }
        };
    }

    // ------------------------------------------------------------------ relay

    /**
     * Attaches a relay (a broker bridge): from now on every publish and key send is also handed
     * to it, and it hears every presence event. Attach it before connections subscribe: presence
     * that exists already is not replayed (the relay can read {@link #topics()}).
     *
     * @param relay the relay
     * @throws IllegalStateException if another relay is attached
     */
    public synchronized void attach(Relay relay) {
        Objects.requireNonNull(relay, "relay");
        if (this.relay != null) {
            throw new IllegalStateException("a relay is already attached to this pub/sub");
        }
        this.relay = relay;
    }

    /**
     * Detaches a relay; does nothing if it is not the attached one.
     *
     * @param relay the relay
     */
    public synchronized void detach(Relay relay) {
        if (this.relay == relay) {
            this.relay = null;
        }
    }

    // ------------------------------------------------------------------ counts

    /**
     * Subscriptions of a topic now; O(1).
     *
     * @param topic the topic
     * @return the count, 0 for a topic nobody subscribed
     */
    public int subscriberCount(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.current();
    }

    /**
     * The topics that have subscribers now.
     *
     * @return a snapshot
     */
    public Set<String> topics() {
        return Set.copyOf(topics.keySet());
    }

    /**
     * The counters of one topic (zeros for a topic without subscribers; its counters start anew
     * when it gains one again).
     *
     * @param topic the topic
     * @return its counters
     */
    public TopicStats stats(String topic) {
        Topic t = topics.get(topic);
        return t == null ? new TopicStats(topic, 0, 0, 0, 0) : t.stats();
    }

    /**
     * The counters of all topics since this pub/sub was made.
     *
     * @return the totals, with {@code topic} null and {@code subscribers} summed over topics now
     */
    public TopicStats totals() {
        int subscribers = 0;
        for (Topic t : topics.values()) {
            subscribers += t.current();
        }
        return new TopicStats(null, subscribers, published.sum(), delivered.sum(), dropped.sum());
    }

    // ------------------------------------------------------------------ internals (loop threads)

    /** The connection's member record, made (and its close watched) on first sight; loop only. */
    private Member member(WebSocket<?> socket) {
        Member m = members.get(socket.id());
        if (m != null) {
            return m;
        }
        if (!socket.isOpen()) {
            return null;
        }
        Executor loop = socket.executor();
        Shard shard = shards.computeIfAbsent(loop, l -> new Shard(l, this));
        Object key = keyOf == null ? null : keyOf.apply(socket);
        m = new Member(socket, key, shard);
        members.put(socket.id(), m);
        if (key != null) {
            Member added = m;
            boolean[] first = new boolean[1];
            byKey.compute(key, (k, all) -> {
                if (all == null) {
                    first[0] = true;
                    return new Member[] {added};
                }
                Member[] more = Arrays.copyOf(all, all.length + 1);
                more[all.length] = added;
                return more;
            });
            if (first[0]) {
                tell(l -> l.keyOnline(key));
            }
        }
        socket.addCloseListener(closer);
        return m;
    }

    /** The connection closed: every subscription goes, then the connection is forgotten. */
    private void forget(WebSocket<?> socket) {
        Member m = members.remove(socket.id());
        if (m == null) {
            return;
        }
        m.closed = true;
        for (String topic : m.topics) {
            m.shard.unsubscribe(m, topic);
        }
        if (m.key != null) {
            boolean[] last = new boolean[1];
            byKey.computeIfPresent(m.key, (k, all) -> {
                List<Member> rest = new ArrayList<>(Arrays.asList(all));
                rest.remove(m);
                last[0] = rest.isEmpty();
                return rest.isEmpty() ? null : rest.toArray(new Member[0]);
            });
            if (last[0]) {
                tell(l -> l.keyOffline(m.key));
            }
        }
    }

    /** Takes a subscription's count on a topic, making it if needed; {@code first} tells of 0 → 1. */
    Topic retainTopic(String name, boolean[] first) {
        return Counted.retain(topics, name, Topic::new, first);
    }

    void retainExisting(Topic t) {
        t.count.incrementAndGet(); // this loop already holds counts on it: it cannot be retired
    }

    /** After a subscription took effect: the presence events it causes. */
    void joined(Topic t, Member m, boolean topicFirst) {
        if (topicFirst) {
            tell(l -> l.topicActive(t.name));
        }
        joinKey(t.name, m);
    }

    void releaseTopic(Topic t, Member m) {
        leaveKey(t.name, m);
        if (Counted.release(topics, t.name, t)) {
            tell(l -> l.topicInactive(t.name));
        }
    }

    /** Tells every presence listener, and the relay, of one event; what they throw is ignored. */
    private void tell(Consumer<PresenceListener> event) {
        for (PresenceListener l : presence) {
            try {
                event.accept(l);
            } catch (RuntimeException ignored) {
                // a listener cannot stop the change that caused the event
            }
        }
        Relay r = relay;
        if (r != null) {
            try {
                event.accept(r);
            } catch (RuntimeException ignored) {
                // nor can the relay
            }
        }
    }

    private void joinKey(String topic, Member m) {
        if (m.key == null || (presence.length == 0 && relay == null)) {
            return;
        }
        boolean[] first = new boolean[1];
        Counted.retain(keyPresence, new KeyInTopic(topic, m.key), k -> new Counted(), first);
        if (first[0]) {
            tell(l -> l.joined(topic, m.key));
        }
    }

    private void leaveKey(String topic, Member m) {
        if (m.key == null) {
            return;
        }
        KeyInTopic k = new KeyInTopic(topic, m.key);
        Counted c = keyPresence.get(k);
        if (c != null && Counted.release(keyPresence, k, c)) {
            tell(l -> l.left(topic, m.key));
        }
    }

    void count(long deliveredHere, long droppedHere) {
        delivered.add(deliveredHere);
        dropped.add(droppedHere);
    }

    private static void checkTopic(String topic) {
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("a topic name must not be empty");
        }
    }

    /** Configures a {@link PubSub}. Not thread-safe; build once. */
    public static final class Builder {
        private Function<WebSocket<?>, Object> keyOf;
        private final List<PresenceListener> presence = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets how a connection's key is found, for {@link PubSub#sendToKey} and key presence:
         * typically the user id in the attachment. Called once per connection, on its loop; a
         * {@code null} key means none.
         *
         * @param keyOf the function
         * @return this builder
         */
        public Builder keyOf(Function<WebSocket<?>, Object> keyOf) {
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            return this;
        }

        /**
         * Adds a presence listener.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder presenceListener(PresenceListener listener) {
            presence.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the pub/sub.
         *
         * @return the pub/sub
         */
        public PubSub build() {
            return new PubSub(this);
        }
    }
}
