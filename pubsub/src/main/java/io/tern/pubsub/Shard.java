package io.tern.pubsub;

import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.Executor;

/**
 * One event loop's part of the pub/sub state: for each topic with subscribers on this loop, the
 * list of those subscribers. Only the loop writes or reads it, so it needs no locks; publishers
 * reach it with one task per loop per message ({@link #deliver}).
 *
 * <p>Threading contract: every method runs on {@link #loop}'s thread.
 */
final class Shard {

    /** The subscribers of one topic on this loop. */
    static final class Local {
        final Topic topic;
        Member[] members = new Member[4];
        int size;
        /** Deliveries under way (a send may close a subscriber, which unsubscribes it). */
        int iterating;
        ArrayList<Member> leaving;

        Local(Topic topic) {
            this.topic = topic;
        }
    }

    final Executor loop;
    private final PubSub pubsub;
    private final HashMap<String, Local> locals = new HashMap<>();

    Shard(Executor loop, PubSub pubsub) {
        this.loop = loop;
        this.pubsub = pubsub;
    }

    /** Subscribes; false if the member already was. */
    boolean subscribe(Member m, String name) {
        if (m.closed || m.indexOf(name) >= 0) {
            return false;
        }
        boolean[] first = new boolean[1];
        Local local = locals.get(name);
        boolean newHere = local == null;
        if (newHere) {
            local = new Local(pubsub.retainTopic(name, first));
            locals.put(name, local);
        } else {
            pubsub.retainExisting(local.topic);
        }
        if (local.size == local.members.length) {
            local.members = Arrays.copyOf(local.members, local.size * 2);
        }
        local.members[local.size] = m;
        m.add(name, local.size);
        local.size++;
        if (newHere) {
            local.topic.addShard(this);
        }
        pubsub.joined(local.topic, m, first[0]); // presence once the subscription is in effect
        return true;
    }

    /** Unsubscribes; false if the member was not subscribed. */
    boolean unsubscribe(Member m, String name) {
        int i = m.indexOf(name);
        if (i < 0) {
            return false;
        }
        Local local = locals.get(name);
        if (local.iterating > 0) {
            if (local.leaving == null) {
                local.leaving = new ArrayList<>();
            }
            local.leaving.add(m); // after the delivery under way
            return true;
        }
        removeNow(local, m, i, name);
        return true;
    }

    private void removeNow(Local local, Member m, int topicIndex, String name) {
        int slot = m.remove(topicIndex);
        int last = --local.size;
        if (slot != last) {
            Member moved = local.members[last];
            local.members[slot] = moved;
            moved.moveSlot(name, slot);
        }
        local.members[last] = null;
        if (local.size == 0) {
            locals.remove(name);
            local.topic.removeShard(this);
        }
        pubsub.releaseTopic(local.topic, m);
    }

    /**
     * Queues a published message for every local subscriber but {@code except}; reports the
     * counts to the topic and the result.
     */
    void deliver(Topic topic, PreparedMessage message, WebSocket<?> except, PublishResult result) {
        Local local = locals.get(topic.name);
        long delivered = 0;
        long dropped = 0;
        if (local != null) {
            local.iterating++;
            try {
                Member[] members = local.members;
                for (int i = 0, n = local.size; i < n; i++) {
                    WebSocket<?> ws = members[i].socket;
                    if (ws == except) {
                        continue;
                    }
                    SendStatus s = ws.send(message);
                    if (s == SendStatus.DROPPED) {
                        dropped++;
                    } else if (s != SendStatus.CLOSED) {
                        delivered++;
                    }
                }
            } finally {
                local.iterating--;
            }
            if (local.iterating == 0 && local.leaving != null) {
                ArrayList<Member> leaving = local.leaving;
                local.leaving = null;
                for (Member m : leaving) {
                    int i = m.indexOf(topic.name);
                    if (i >= 0) {
                        removeNow(local, m, i, topic.name);
                    }
                }
            }
        }
        topic.delivered.add(delivered);
        topic.dropped.add(dropped);
        pubsub.count(delivered, dropped);
        if (result != null) {
            result.loopDone(delivered, dropped);
        }
    }
}
