package io.tern.pubsub.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's keys (users) as the pub/sub layer's presence events describe them: how many
 * of a key's "online" events are unmatched by "offline" ones, and per topic the same for
 * "joined" and "left". Events about one key come from several loops and may arrive out of
 * order, so each is a +1 or -1 on a count rather than a state: the counts settle on the truth
 * whatever the order. A key is online while its count is above zero.
 *
 * <p>Threading contract: the event methods are called from any event loop at once; each
 * replaces the key's immutable state inside {@link ConcurrentHashMap#compute} (which locks one
 * bin of the map briefly: presence changes only, never messages). {@link #snapshot} may run on any
 * thread and sees each key's state as of some moment.
 */
final class LocalPresence {

    /** One key's counts. */
    private record State(int online, Map<String, Integer> topics) {
        boolean empty() {
            return online <= 0 && topics.isEmpty();
        }
    }

    private static final State NONE = new State(0, Map.of());

    private final ConcurrentHashMap<String, State> keys = new ConcurrentHashMap<>();

    void online(String key, int delta) {
        keys.compute(key, (k, s) -> {
            State base = s == null ? NONE : s;
            State next = new State(base.online + delta, base.topics);
            return next.empty() && next.online == 0 ? null : next;
        });
    }

    void topic(String key, String topic, int delta) {
        keys.compute(key, (k, s) -> {
            State base = s == null ? NONE : s;
            HashMap<String, Integer> topics = new HashMap<>(base.topics);
            int c = topics.getOrDefault(topic, 0) + delta;
            if (c == 0) {
                topics.remove(topic);
            } else {
                topics.put(topic, c);
            }
            State next = new State(base.online, Map.copyOf(topics));
            return next.empty() && next.online == 0 ? null : next;
        });
    }

    boolean isOnline(String key) {
        State s = keys.get(key);
        return s != null && s.online > 0;
    }

    /** The topics a key is in here (empty set when online in none), or null when not online. */
    Set<String> topicsOf(String key) {
        State s = keys.get(key);
        return s == null || s.online <= 0 ? null : present(s);
    }

    /** Every online key with its topics, sorted by key. */
    TreeMap<String, Set<String>> snapshot() {
        TreeMap<String, Set<String>> out = new TreeMap<>();
        keys.forEach((k, s) -> {
            if (s.online > 0) {
                out.put(k, present(s));
            }
        });
        return out;
    }

    private static Set<String> present(State s) {
        java.util.TreeSet<String> t = new java.util.TreeSet<>();
        s.topics.forEach((topic, c) -> {
            if (c > 0) {
                t.add(topic);
            }
        });
        return t;
    }
}
