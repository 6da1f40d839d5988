package io.tern.pubsub.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of the bridge's Redis channels and keys, all under one prefix (default {@code tern:}):
 *
 * <ul>
 * <li>{@code <prefix>t:<topic>}: messages published to a topic;</li>
 * <li>{@code <prefix>k:<key>}: messages sent to every connection of a key;</li>
 * <li>{@code <prefix>i:<instance>}: messages sent to one connection of one instance;</li>
 * <li>{@code <prefix>instances}: the set of instance ids that ever announced themselves;</li>
 * <li>{@code <prefix>{<instance>}:alive}, {@code :counts}, {@code :keys}: one instance's
 *     heartbeat, subscriber count per topic, and topics per key, each expiring unless renewed
 *     (the braces keep an instance's keys in one Redis Cluster slot).</li>
 * </ul>
 *
 * <p>Threading contract: immutable; safe from any thread.
 */
final class Channels {

    static final char TOPIC = 't';
    static final char KEY = 'k';
    static final char INSTANCE = 'i';

    private final String prefix;
    private final byte[] prefixBytes;

    Channels(String prefix) {
        this.prefix = prefix;
        this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
    }

    String prefix() {
        return prefix;
    }

    byte[] topic(String topic) {
        return channel(TOPIC, topic);
    }

    byte[] key(String key) {
        return channel(KEY, key);
    }

    byte[] instance(String id) {
        return channel(INSTANCE, id);
    }

    private byte[] channel(char kind, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefixBytes.length + 2 + n.length];
        System.arraycopy(prefixBytes, 0, out, 0, prefixBytes.length);
        out[prefixBytes.length] = (byte) kind;
        out[prefixBytes.length + 1] = ':';
        System.arraycopy(n, 0, out, prefixBytes.length + 2, n.length);
        return out;
    }

    /** The kind of a received channel ({@link #TOPIC}, {@link #KEY}, {@link #INSTANCE}), or 0 if it is none of ours. */
    char kindOf(byte[] channel) {
        int p = prefixBytes.length;
        if (channel.length < p + 2 || channel[p + 1] != ':') {
            return 0;
        }
        for (int i = 0; i < p; i++) {
            if (channel[i] != prefixBytes[i]) {
                return 0;
            }
        }
        char kind = (char) channel[p];
        return kind == TOPIC || kind == KEY || kind == INSTANCE ? kind : 0;
    }

    /** The topic, key or instance id a channel of ours names. */
    String nameOf(byte[] channel) {
        int from = prefixBytes.length + 2;
        return new String(channel, from, channel.length - from, StandardCharsets.UTF_8);
    }

    byte[] instances() {
        return bytes(prefix + "instances");
    }

    byte[] alive(String id) {
        return bytes(prefix + "{" + id + "}:alive");
    }

    byte[] counts(String id) {
        return bytes(prefix + "{" + id + "}:counts");
    }

    byte[] keys(String id) {
        return bytes(prefix + "{" + id + "}:keys");
    }

    /** Where a full rewrite of an instance hash is built before it replaces the old one. */
    static byte[] staging(byte[] key) {
        byte[] out = java.util.Arrays.copyOf(key, key.length + 4);
        out[key.length] = '.';
        out[key.length + 1] = 'n';
        out[key.length + 2] = 'e';
        out[key.length + 3] = 'w';
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
