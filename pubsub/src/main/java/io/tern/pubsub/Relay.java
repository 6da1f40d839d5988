package io.tern.pubsub;

import io.tern.transport.PreparedMessage;

/**
 * Carries what one {@link PubSub} publishes to other instances of the same application: the hook
 * of a broker bridge (see the {@code io.tern.pubsub.redis} module). Attached with
 * {@link PubSub#attach}; from then on every {@link PubSub#publish}, {@link PubSub#publishExcept}
 * and {@link PubSub#sendToKey} is also handed to the relay, once per call (never once per
 * subscriber), after the local delivery was posted. A relay also hears every presence event
 * (it is a {@link PresenceListener}), so that it can subscribe upstream only to topics and keys
 * this instance has.
 *
 * <p>What arrives from other instances goes back in through {@link PubSub#publishLocally} and
 * {@link PubSub#sendToKeyLocally}, which are never relayed.
 *
 * <p>Threading contract: every method is called on the thread that published or sent (any
 * thread; often an event loop), and must neither block nor throw (what it throws is ignored).
 */
public interface Relay extends PresenceListener {

    /**
     * A message was published on this instance.
     *
     * @param topic   the topic
     * @param message the message as framed for the local subscribers
     */
    void published(String topic, PreparedMessage message);

    /**
     * A message was sent to a key on this instance.
     *
     * @param key     the key
     * @param message the message
     */
    void sentToKey(Object key, PreparedMessage message);
}
