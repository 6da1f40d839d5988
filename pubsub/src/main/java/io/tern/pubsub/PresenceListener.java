package io.tern.pubsub;

/**
 * Hears of presence transitions: a topic gaining its first subscriber or losing its last (the
 * hook a broker bridge needs to subscribe and unsubscribe upstream), and a key — typically a user
 * id — joining a topic with its first connection or leaving it with its last (one user, many
 * tabs, possibly on different loops).
 *
 * <p>Each transition is reported exactly once, and a key's joins and leaves alternate. A call runs
 * on the event loop of the connection whose subscribe or unsubscribe caused it (for the end of a
 * connection, its loop), after the change took effect; it must not block. Calls about one topic
 * may come from different loops, so a listener that keeps state of its own must make it
 * thread-safe; and when one user's tabs on different loops subscribe and leave at the same
 * moment, the user may be reported as leaving and joining again (the subscriber count moves a
 * moment before the key's presence). A listener that needs the state now can read
 * {@link PubSub#subscriberCount}. A listener that throws is ignored.
 *
 * <p>A key also comes online with its first connection known to the pub/sub layer (it subscribed,
 * or {@link PubSub#connectionListener()} saw it open) and goes offline when its last one closes:
 * {@link #keyOnline} and {@link #keyOffline}, the hook a bridge needs to route
 * {@link PubSub#sendToKey} to this instance. Each is reported exactly once, but calls from
 * different loops may arrive out of order (an offline before the online it pairs with): a
 * listener should count them (+1, -1) rather than trust their order.
 */
public interface PresenceListener {

    /**
     * The topic gained its first subscriber.
     *
     * @param topic the topic
     */
    default void topicActive(String topic) {
    }

    /**
     * The topic lost its last subscriber.
     *
     * @param topic the topic
     */
    default void topicInactive(String topic) {
    }

    /**
     * A key's first connection subscribed to the topic.
     *
     * @param topic the topic
     * @param key   the key (see {@link PubSub.Builder#keyOf})
     */
    default void joined(String topic, Object key) {
    }

    /**
     * A key's last connection left the topic (unsubscribed or closed).
     *
     * @param topic the topic
     * @param key   the key
     */
    default void left(String topic, Object key) {
    }

    /**
     * A key's first known connection (on this pub/sub) appeared.
     *
     * @param key the key (see {@link PubSub.Builder#keyOf})
     */
    default void keyOnline(Object key) {
    }

    /**
     * A key's last known connection closed.
     *
     * @param key the key
     */
    default void keyOffline(Object key) {
    }
}
