package io.tern.pubsub.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tern.pubsub.PubSub;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster-wide view: each instance writes, at every heartbeat, what it has into Redis keys
 * that expire unless renewed, and reads the others' on request.
 *
 * <p>Per instance (see {@link Channels} for the names): {@code alive} (a string with a TTL),
 * {@code counts} (a hash: topic → local subscriber count) and {@code keys} (a hash: key → the
 * topics it is in there), all three given the same TTL at every heartbeat, and the instance's id
 * in the {@code instances} set. A heartbeat writes only what changed since the last one; the
 * first heartbeat, and the first after any failed write (Redis restarted empty, say), rewrites
 * both hashes whole: built under a staging name and renamed over the old one, so readers never
 * see half of it.
 *
 * <p>Staleness: another instance's counts and presence are at most one heartbeat interval old
 * (plus a round trip); an instance that stops without saying goodbye (crash, network cut) keeps
 * its entries until their TTL runs out, at most {@code ttl} after its last heartbeat, Redis' own
 * clock deciding (no clock of ours is compared with another machine's). Readers also drop an id
 * from the set once its {@code alive} key is gone. An instance that closes cleanly deletes its
 * entries at once.
 *
 * <p>Threading contract: {@link #heartbeat} and {@link #goodbye} run on the bridge's thread (one
 * task at a time), which alone owns the last-written state; the readers run on any thread and
 * compose Lettuce futures, completing on Lettuce's threads. A failure seen on a Lettuce thread
 * only sets the {@code rewrite} flag.
 */
final class ClusterState {

    private static final byte[] ONE = {'1'};

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Channels names;
    private final String self;
    private final PubSub pubsub;
    private final LocalPresence presence;
    private final long ttlMillis;
    private final byte[] alive;
    private final byte[] counts;
    private final byte[] keys;
    private final AtomicBoolean rewrite = new AtomicBoolean(true);
    private Map<String, Integer> lastCounts = Map.of();
    private Map<String, Set<String>> lastKeys = Map.of();

    ClusterState(RedisAsyncCommands<byte[], byte[]> redis, Channels names, String self, PubSub pubsub,
            LocalPresence presence, long ttlMillis) {
        this.redis = redis;
        this.names = names;
        this.self = self;
        this.pubsub = pubsub;
        this.presence = presence;
        this.ttlMillis = ttlMillis;
        this.alive = names.alive(self);
        this.counts = names.counts(self);
        this.keys = names.keys(self);
    }

    /** The next heartbeat rewrites everything (after a reconnection: Redis may have restarted empty). */
    void rewriteNext() {
        rewrite.set(true);
    }

    /** Bridge thread: writes what changed (or everything) and renews the TTLs. */
    void heartbeat() {
        Map<String, Integer> nowCounts = localCounts();
        Map<String, Set<String>> nowKeys = presence.snapshot();
        List<RedisFuture<?>> sent = new ArrayList<>();
        if (rewrite.getAndSet(false)) {
            writeWhole(counts, encodeCounts(nowCounts), sent);
            writeWhole(keys, encodeKeys(nowKeys), sent);
        } else {
            writeDiff(counts, lastCounts, nowCounts, v -> bytes(Integer.toString(v)), sent);
            writeDiff(keys, lastKeys, nowKeys, ClusterState::encodeTopics, sent);
        }
        lastCounts = nowCounts;
        lastKeys = nowKeys;
        sent.add(redis.set(alive, ONE, SetArgs.Builder.px(ttlMillis)));
        sent.add(redis.pexpire(counts, ttlMillis));
        sent.add(redis.pexpire(keys, ttlMillis));
        sent.add(redis.sadd(names.instances(), bytes(self)));
        for (RedisFuture<?> f : sent) {
            f.whenComplete((ok, failure) -> {
                if (failure != null) {
                    rewrite.set(true);
                }
            });
        }
    }

    /** Bridge thread, on a clean close: this instance's entries go at once. */
    CompletableFuture<Void> goodbye() {
        return CompletableFuture.allOf(
                redis.del(alive, counts, keys).toCompletableFuture(),
                redis.srem(names.instances(), bytes(self)).toCompletableFuture());
    }

    private Map<String, Integer> localCounts() {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (String topic : pubsub.topics()) {
            int n = pubsub.subscriberCount(topic);
            if (n > 0) {
                out.put(topic, n);
            }
        }
        return out;
    }

    private void writeWhole(byte[] key, Map<byte[], byte[]> fields, List<RedisFuture<?>> sent) {
        if (fields.isEmpty()) {
            sent.add(redis.del(key));
            return;
        }
        byte[] staging = Channels.staging(key);
        sent.add(redis.del(staging));
        sent.add(redis.hset(staging, fields));
        sent.add(redis.pexpire(staging, ttlMillis));
        sent.add(redis.rename(staging, key));
    }

    private <V> void writeDiff(byte[] key, Map<String, V> before, Map<String, V> now,
            java.util.function.Function<V, byte[]> encode, List<RedisFuture<?>> sent) {
        Map<byte[], byte[]> changed = new LinkedHashMap<>();
        now.forEach((field, value) -> {
            if (!value.equals(before.get(field))) {
                changed.put(bytes(field), encode.apply(value));
            }
        });
        List<byte[]> gone = new ArrayList<>();
        before.keySet().forEach(field -> {
            if (!now.containsKey(field)) {
                gone.add(bytes(field));
            }
        });
        if (!changed.isEmpty()) {
            sent.add(redis.hset(key, changed));
        }
        if (!gone.isEmpty()) {
            sent.add(redis.hdel(key, gone.toArray(new byte[0][])));
        }
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** The ids of the other instances whose heartbeat is alive; prunes the dead from the set. */
    CompletableFuture<List<String>> liveOthers() {
        return redis.smembers(names.instances()).toCompletableFuture().thenCompose(members -> {
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<Long>> checks = new ArrayList<>();
            for (byte[] m : members) {
                String id = new String(m, StandardCharsets.UTF_8);
                if (!id.equals(self)) {
                    ids.add(id);
                    checks.add(redis.exists(names.alive(id)).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                List<String> live = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (checks.get(i).join() > 0) {
                        live.add(ids.get(i));
                    } else {
                        redis.srem(names.instances(), bytes(ids.get(i))); // its entries expired with it
                    }
                }
                return live;
            });
        });
    }

    CompletableFuture<Long> subscriberCount(String topic) {
        long here = pubsub.subscriberCount(topic);
        byte[] field = bytes(topic);
        return liveOthers().thenCompose(ids -> {
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (String id : ids) {
                reads.add(redis.hget(names.counts(id), field).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                long sum = here;
                for (CompletableFuture<byte[]> r : reads) {
                    byte[] v = r.join();
                    if (v != null) {
                        sum += parseCount(v);
                    }
                }
                return sum;
            });
        });
    }

    CompletableFuture<KeyPresence> presenceOf(String key) {
        Set<String> here = presence.topicsOf(key);
        byte[] field = bytes(key);
        return liveOthers().thenCompose(ids -> {
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (String id : ids) {
                reads.add(redis.hget(names.keys(id), field).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                Map<String, Set<String>> by = new HashMap<>();
                if (here != null) {
                    by.put(self, Set.copyOf(here));
                }
                for (int i = 0; i < ids.size(); i++) {
                    byte[] v = reads.get(i).join();
                    if (v != null) {
                        by.put(ids.get(i), decodeTopics(v));
                    }
                }
                return new KeyPresence(key, by);
            });
        });
    }

    CompletableFuture<Set<String>> keysIn(String topic) {
        TreeSet<String> found = new TreeSet<>();
        presence.snapshot().forEach((k, topics) -> {
            if (topics.contains(topic)) {
                found.add(k);
            }
        });
        return liveOthers().thenCompose(ids -> {
            List<CompletableFuture<Map<byte[], byte[]>>> reads = new ArrayList<>();
            for (String id : ids) {
                reads.add(redis.hgetall(names.keys(id)).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
                for (CompletableFuture<Map<byte[], byte[]>> r : reads) {
                    r.join().forEach((k, v) -> {
                        if (decodeTopics(v).contains(topic)) {
                            found.add(new String(k, StandardCharsets.UTF_8));
                        }
                    });
                }
                return java.util.Collections.unmodifiableSet(found);
            });
        });
    }

    // ------------------------------------------------------------------ encodings

    private static Map<byte[], byte[]> encodeCounts(Map<String, Integer> counts) {
        Map<byte[], byte[]> out = new LinkedHashMap<>();
        counts.forEach((t, n) -> out.put(bytes(t), bytes(Integer.toString(n))));
        return out;
    }

    private static Map<byte[], byte[]> encodeKeys(Map<String, Set<String>> keys) {
        Map<byte[], byte[]> out = new LinkedHashMap<>();
        keys.forEach((k, topics) -> out.put(bytes(k), encodeTopics(topics)));
        return out;
    }

    /** A key's topics: each as a 4-byte big-endian length and its UTF-8 bytes. */
    static byte[] encodeTopics(Set<String> topics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String t : topics) {
            byte[] b = bytes(t);
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** The inverse of {@link #encodeTopics}; whatever does not parse ends the list. */
    static Set<String> decodeTopics(byte[] v) {
        TreeSet<String> out = new TreeSet<>();
        ByteBuffer in = ByteBuffer.wrap(v);
        while (in.remaining() >= 4) {
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) {
                break;
            }
            out.add(new String(v, in.position(), n, StandardCharsets.UTF_8));
            in.position(in.position() + n);
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static long parseCount(byte[] v) {
        try {
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
