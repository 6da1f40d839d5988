package io.tern.pubsub;

import io.tern.transport.WebSocket;
import java.util.Arrays;

/**
 * One connection known to the pub/sub layer: its key, its loop's {@link Shard}, and its topics,
 * each with the connection's slot in that topic's local subscriber list (so unsubscribing is
 * O(topics of the connection), never O(subscribers of the topic)).
 *
 * <p>Threading contract: written only on the connection's loop. {@link #topics} is replaced, never
 * changed in place, so other threads may read it as a snapshot.
 */
final class Member {

    private static final String[] NO_TOPICS = new String[0];
    private static final int[] NO_SLOTS = new int[0];

    final WebSocket<?> socket;
    final Object key;
    final Shard shard;
    volatile String[] topics = NO_TOPICS;
    private int[] slots = NO_SLOTS;
    boolean closed;

    Member(WebSocket<?> socket, Object key, Shard shard) {
        this.socket = socket;
        this.key = key;
        this.shard = shard;
    }

    int indexOf(String topic) {
        String[] t = topics;
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals(topic)) {
                return i;
            }
        }
        return -1;
    }

    void add(String topic, int slot) {
        String[] t = Arrays.copyOf(topics, topics.length + 1);
        t[t.length - 1] = topic;
        slots = Arrays.copyOf(slots, t.length);
        slots[t.length - 1] = slot;
        topics = t;
    }

    /** Forgets topic number {@code i}; returns its slot. */
    int remove(int i) {
        int slot = slots[i];
        String[] t = topics;
        int last = t.length - 1;
        String[] next = Arrays.copyOf(t, last);
        int[] nextSlots = Arrays.copyOf(slots, last);
        if (i != last) {
            next[i] = t[last];
            nextSlots[i] = slots[last];
        }
        slots = nextSlots;
        topics = next;
        return slot;
    }

    void moveSlot(String topic, int slot) {
        slots[indexOf(topic)] = slot;
    }
}
