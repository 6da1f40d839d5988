package io.tern.pubsub.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Keeps the bridge's Redis subscriptions equal to what this instance wants: a topic's channel
 * while the topic has local subscribers, a key's channel while the key has a local connection,
 * and the instance's own channel always. Presence events only mark a channel to look at
 * ({@link #check}); one thread, the bridge's, compares what is wanted now with what was last
 * asked of Redis and sends the difference, in batches. So events that race on several loops
 * (a topic's last subscriber leaving on one while a first arrives on another) can never leave
 * Redis with the wrong answer: whatever order they come in, the last look sees the final state.
 *
 * <p>After a reconnection {@link #resync} asks again for every wanted channel (Lettuce also
 * re-subscribes what it knew; asking twice is harmless in Redis) and repeats the unsubscriptions
 * that failed while Redis was away.
 *
 * <p>Threading contract: {@link #check}, {@link #isConfirmed} and {@link #count} are safe from
 * any thread; everything else runs on the bridge's thread ({@code bridgeThread}), which must run
 * one task at a time. Command results arrive on Lettuce's threads and touch only the concurrent
 * {@code confirmed} set and the {@code unsure} flag.
 */
final class Subscriptions {

    /** Channels per SUBSCRIBE command. */
    private static final int BATCH = 500;

    private final RedisPubSubAsyncCommands<byte[], byte[]> redis;
    private final boolean sharded;
    private final Executor bridgeThread;
    private final Predicate<String> wanted;
    private final ConcurrentLinkedQueue<String> toCheck = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Channels Redis was last asked to subscribe (bridge thread only). */
    private final Set<String> asked = new HashSet<>();
    /** Unsubscriptions that failed, to repeat after a reconnection (bridge thread only). */
    private final Set<String> failedUnsubscribes = ConcurrentHashMap.newKeySet();
    /** Set when a command failed: the next heartbeat on a live connection resyncs. */
    private final AtomicBoolean unsure = new AtomicBoolean();
    /** Channels Redis confirmed since the connection was last (re)established. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    Subscriptions(RedisPubSubAsyncCommands<byte[], byte[]> redis, boolean sharded, Executor bridgeThread,
            Predicate<String> wanted) {
        this.redis = redis;
        this.sharded = sharded;
        this.bridgeThread = bridgeThread;
        this.wanted = wanted;
    }

    /** Marks a channel to be compared with what is wanted; any thread. */
    void check(String channel) {
        toCheck.add(channel);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                bridgeThread.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                drainScheduled.set(false); // the bridge is closing
            }
        }
    }

    boolean isConfirmed(String channel) {
        return confirmed.contains(channel);
    }

    int count() {
        return confirmed.size();
    }

    /** The connection was lost: nothing is confirmed until Redis says so again. */
    void disconnected() {
        confirmed.clear();
    }

    /** Bridge thread: compares every marked channel and sends the difference. */
    void drain() {
        drainScheduled.set(false);
        Set<String> seen = new HashSet<>();
        List<String> subscribe = new ArrayList<>();
        List<String> unsubscribe = new ArrayList<>();
        for (String ch; (ch = toCheck.poll()) != null; ) {
            if (!seen.add(ch)) {
                continue;
            }
            boolean want = wanted.test(ch);
            if (want && asked.add(ch)) {
                subscribe.add(ch);
            } else if (!want && asked.remove(ch)) {
                unsubscribe.add(ch);
            }
        }
        send(subscribe, true);
        send(unsubscribe, false);
    }

    /** Bridge thread, after a reconnection: asks again for every wanted channel. */
    void resync() {
        List<String> subscribe = new ArrayList<>(asked);
        List<String> unsubscribe = new ArrayList<>();
        for (String ch : failedUnsubscribes) {
            if (!asked.contains(ch)) {
                unsubscribe.add(ch);
            }
        }
        failedUnsubscribes.clear();
        send(subscribe, true);
        send(unsubscribe, false);
    }

    /** Bridge thread, at each heartbeat while connected: repeats what failed. */
    void retryIfNeeded() {
        if (unsure.getAndSet(false)) {
            resync();
        }
    }

    /** Bridge thread, when closing: the channels still asked for. */
    List<String> all() {
        return new ArrayList<>(asked);
    }

    private void send(List<String> channels, boolean subscribe) {
        int step = sharded ? 1 : BATCH; // a Redis Cluster takes one slot per SSUBSCRIBE
        for (int from = 0; from < channels.size(); from += step) {
            List<String> batch = channels.subList(from, Math.min(channels.size(), from + step));
            byte[][] args = new byte[batch.size()][];
            for (int i = 0; i < args.length; i++) {
                args[i] = Channels.bytes(batch.get(i));
            }
            List<String> names = List.copyOf(batch);
            if (!subscribe) {
                confirmed.removeAll(names);
            }
            RedisFuture<Void> f;
            try {
                f = subscribe
                        ? (sharded ? redis.ssubscribe(args) : redis.subscribe(args))
                        : (sharded ? redis.sunsubscribe(args) : redis.unsubscribe(args));
            } catch (RuntimeException refused) { // the connection is closed or refuses at once
                if (!subscribe) {
                    failedUnsubscribes.addAll(names);
                }
                unsure.set(true);
                continue;
            }
            f.whenComplete((ok, failure) -> {
                if (failure != null) {
                    if (!subscribe) {
                        failedUnsubscribes.addAll(names);
                    }
                    unsure.set(true); // repeated by resync: after the reconnection, or at the next heartbeat
                    return;
                }
                if (subscribe) {
                    for (String n : names) {
                        if (wanted.test(n)) { // not given up since it was asked
                            confirmed.add(n);
                        }
                    }
                }
            });
        }
    }
}
