package io.tern.pubsub;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A count that lives in a {@link ConcurrentHashMap} while it is above zero: a topic's
 * subscriptions, a key's connections in a topic. Retained and released without locks: the entry
 * that falls to zero is retired (its count set to -1 by compare-and-set) and removed, and a
 * retain that meets a retired entry replaces it. Every 0 → 1 step is reported by the
 * {@link #retain} that made it and every 1 → 0 step by the {@link #release} that made it, so the
 * transitions pair up exactly, whatever threads race (an entry revived at zero before it was
 * retired reports its fall and its rise).
 *
 * <p>Threading contract: safe from any thread.
 */
class Counted {

    /** The count; -1 once retired. */
    final AtomicInteger count = new AtomicInteger();

    /**
     * Takes one count of the entry for {@code key}, creating it if needed.
     *
     * @param first set to whether this was the entry's 0 → 1 transition
     * @return the entry
     */
    static <K, V extends Counted> V retain(ConcurrentHashMap<K, V> map, K key, Function<K, V> create, boolean[] first) {
        while (true) {
            V v = map.get(key);
            if (v == null) {
                V fresh = create.apply(key);
                v = map.putIfAbsent(key, fresh);
                if (v == null) {
                    v = fresh;
                }
            }
            int c = v.count.get();
            if (c < 0) {
                map.remove(key, v); // retired by a release that has not removed it yet
                continue;
            }
            if (v.count.compareAndSet(c, c + 1)) {
                first[0] = c == 0;
                return v;
            }
        }
    }

    /**
     * Gives back one count; the caller that takes it to zero retires and removes the entry.
     *
     * @return {@code true} for the 1 → 0 transition
     */
    static <K, V extends Counted> boolean release(ConcurrentHashMap<K, V> map, K key, V v) {
        if (v.count.decrementAndGet() != 0) {
            return false;
        }
        if (v.count.compareAndSet(0, -1)) {
            map.remove(key, v); // else a retain revived it at zero and keeps it
        }
        return true;
    }

    /**
     * The current count, 0 when retired.
     *
     * @return the count
     */
    int current() {
        return Math.max(0, count.get());
    }
}
