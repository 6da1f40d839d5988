package io.tern.pubsub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A topic's global state: its subscription count (see {@link Counted}), the loops that have
 * subscribers of it, and its counters. The loops' own subscriber lists are in their {@link Shard}s.
 *
 * <p>Threading contract: any thread. {@link #shards} is a copy-on-write array swapped by
 * compare-and-set when a loop gains its first or loses its last local subscriber; publishers read
 * it without locks.
 */
final class Topic extends Counted {

    private static final VarHandle SHARDS;
    private static final Shard[] NONE = new Shard[0];

    static {
        try {
            SHARDS = MethodHandles.lookup().findVarHandle(Topic.class, "shards", Shard[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    volatile Shard[] shards = NONE;
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();

    Topic(String name) {
        this.name = name;
    }

    void addShard(Shard shard) {
        while (true) {
            Shard[] current = shards;
            Shard[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = shard;
            if (SHARDS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    void removeShard(Shard shard) {
        while (true) {
            Shard[] current = shards;
            int i = 0;
            while (i < current.length && current[i] != shard) {
                i++;
            }
            if (i == current.length) {
                return;
            }
            Shard[] next = new Shard[current.length - 1];
            System.arraycopy(current, 0, next, 0, i);
            System.arraycopy(current, i + 1, next, i, next.length - i);
            if (SHARDS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    TopicStats stats() {
        return new TopicStats(name, current(), published.sum(), delivered.sum(), dropped.sum());
    }
}
