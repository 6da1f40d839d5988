package io.tern.pubsub.redis;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where one key (a user, typically) is present across the cluster: for each live instance that
 * has a connection of the key, the topics the key is subscribed to there (possibly none). What
 * other instances report is at most one heartbeat interval old; see {@link RedisBridge} for the
 * staleness bound.
 *
 * @param key        the key, as text
 * @param byInstance instance id to the key's topics on that instance; empty when the key is
 *                   nowhere online
 */
public record KeyPresence(String key, Map<String, Set<String>> byInstance) {

    /**
     * Makes an immutable copy.
     *
     * @param key        the key
     * @param byInstance instance id to topics
     */
    public KeyPresence {
        byInstance = Map.copyOf(byInstance);
    }

    /**
     * Whether the key has a connection on some live instance.
     *
     * @return {@code true} if it is online anywhere
     */
    public boolean online() {
        return !byInstance.isEmpty();
    }

    /**
     * The topics the key is in on any instance.
     *
     * @return a sorted, immutable set
     */
    public Set<String> topics() {
        TreeSet<String> all = new TreeSet<>();
        byInstance.values().forEach(all::addAll);
        return java.util.Collections.unmodifiableSet(all);
    }
}
