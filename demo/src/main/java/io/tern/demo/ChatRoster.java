package io.tern.demo;

import io.tern.pubsub.PresenceListener;
import io.tern.pubsub.PubSub;
import io.tern.transport.PreparedMessage;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in which room, per user (not per tab), kept from the pub/sub layer's presence events:
 * {@link #joined} when a user's first connection enters a room, {@link #left} when its last one
 * leaves it or closes.
 *
 * <p>A {@code left} is announced to the room at once, from inside the event: the leaver is already
 * unsubscribed. A {@code joined} is not: it happens inside {@link PubSub#subscribe}, before the new
 * subscription is complete, so it is handed to the joining handler ({@link #takeJoined}), which
 * announces it right after {@code subscribe} returns, to everyone but the joining connection.
 * Either way the announcement leaves from the loop of the connection that caused the event, before
 * that connection can cause the next one, so each user's {@code joined} and {@code left} in a room
 * reach every member in the order they happened.
 *
 * <p>Threading contract: events come from any event loop, several at once. Each room's set of
 * names is immutable and replaced atomically ({@link ConcurrentHashMap#compute}, which locks one
 * bin of the map for the replacement: joins and leaves only, never chat messages). The hand-over
 * of a {@code joined} is per thread: {@link PubSub#subscribe} called on the connection's own loop
 * runs at once on that thread, so the event and the handler that takes it share the thread.
 * With {@code --redis}, {@link #membersEverywhere} completes on the bridge's (Lettuce's) thread,
 * and a {@code left} is published from there once the other instances' lists are read.
 */
final class ChatRoster implements PresenceListener {

    /**
     * A user's first connection joined a room.
     *
     * @param room  the room
     * @param name  the user
     * @param count the room's users after the join
     */
    record Joined(String room, String name, int count) {
    }

    private static final NavigableSet<String> NOBODY = Collections.emptyNavigableSet();

    private final ConcurrentHashMap<String, NavigableSet<String>> rooms = new ConcurrentHashMap<>();
    private final ThreadLocal<Joined> justJoined = new ThreadLocal<>();
    private final ChatProtocol protocol;
    private volatile PubSub pubsub;
    /** With {@code --redis}: the room's users on every instance (the bridge's view); else null. */
    private volatile Function<String, CompletionStage<Set<String>>> cluster;

    ChatRoster(ChatProtocol protocol) {
        this.protocol = protocol;
    }

    /** Sets the pub/sub this roster listens to (built after it, with it as a listener). */
    void announceThrough(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public void joined(String topic, Object key) {
        String name = (String) key;
        NavigableSet<String> now = rooms.compute(topic, (room, names) -> with(names, name));
        justJoined.set(new Joined(topic, name, now.size()));
    }

    /**
     * Counts and lists users across instances from now on (with {@code --redis}).
     *
     * @param membersEverywhere the users of a room on every instance, as the bridge sees them
     */
    void acrossInstances(Function<String, CompletionStage<Set<String>>> membersEverywhere) {
        this.cluster = membersEverywhere;
    }

    /** Whether counts and member lists span instances. */
    boolean isClustered() {
        return cluster != null;
    }

    /**
     * The users of a room on every instance: this instance's exact roster and the others' as of
     * their last heartbeat; without a cluster, this instance's alone.
     *
     * @param room the room
     * @return completes with the sorted names (on the bridge's thread when clustered)
     */
    CompletionStage<NavigableSet<String>> membersEverywhere(String room) {
        Function<String, CompletionStage<Set<String>>> c = cluster;
        NavigableSet<String> here = members(room);
        if (c == null) {
            return CompletableFuture.completedFuture(here);
        }
        return c.apply(room).handle((there, failure) -> {
            TreeSet<String> all = new TreeSet<>(here);
            if (there != null) {
                all.addAll(there);
            }
            return Collections.unmodifiableNavigableSet(all);
        });
    }

    @Override
    public void left(String topic, Object key) {
        String name = (String) key;
        NavigableSet<String> now = rooms.computeIfPresent(topic, (room, names) -> without(names, name));
        if (cluster == null) {
            int count = now == null ? 0 : now.size();
            pubsub.publish(topic, PreparedMessage.text(protocol.presence("left", topic, name, count)));
            return;
        }
        membersEverywhere(topic).thenAccept(all -> {
            TreeSet<String> rest = new TreeSet<>(all);
            rest.remove(name); // the others may not have heard yet that it left here
            pubsub.publish(topic, PreparedMessage.text(protocol.presence("left", topic, name, rest.size())));
        });
    }

    /**
     * Takes the {@code joined} event the last {@code subscribe} on this thread caused, if any.
     *
     * @return the event, or null when the user already had a connection in the room
     */
    Joined takeJoined() {
        Joined j = justJoined.get();
        if (j != null) {
            justJoined.remove();
        }
        return j;
    }

    /**
     * The users in a room now.
     *
     * @param room the room
     * @return an immutable, sorted snapshot, empty for a room nobody is in
     */
    NavigableSet<String> members(String room) {
        NavigableSet<String> names = rooms.get(room);
        return names == null ? NOBODY : names;
    }

    private static NavigableSet<String> with(NavigableSet<String> names, String name) {
        TreeSet<String> next = names == null ? new TreeSet<>() : new TreeSet<>(names);
        next.add(name);
        return Collections.unmodifiableNavigableSet(next);
    }

    private static NavigableSet<String> without(NavigableSet<String> names, String name) {
        TreeSet<String> next = new TreeSet<>(names);
        next.remove(name);
        return next.isEmpty() ? null : Collections.unmodifiableNavigableSet(next);
    }
}
