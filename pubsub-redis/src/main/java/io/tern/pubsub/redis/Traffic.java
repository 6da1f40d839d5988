package io.tern.pubsub.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tern.pubsub.PubSub;
import io.tern.transport.PreparedMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The messages of one bridge, both ways: each local publish or send encoded once into an
 * {@link Envelope} and handed to Redis ({@link #send}), each arrival from Redis checked, framed once
 * and handed to the pub/sub ({@link #arrived}), and the counters of both.
 *
 * <p>Per message out: one envelope array, the channel name's bytes and Lettuce's command; per
 * message in: one {@link PreparedMessage} for the whole instance. Never per subscriber.
 *
 * <p>Threading contract: {@link #send} is called from any publisher thread and never blocks
 * (past {@code maxPending} waiting commands it counts the message as lost instead of queueing);
 * {@link #arrived} runs on Lettuce's I/O thread of the subscription connection, one message at a
 * time in Redis' order; command completions run on Lettuce's threads. State shared between them is
 * atomic counters only.
 */
final class Traffic {

    private static final System.Logger LOG = System.getLogger("io.tern.pubsub.redis");
    /** Made once: losing messages under overload must not cost a stack trace each. */
    private static final IllegalStateException TOO_MANY_WAITING = new IllegalStateException(
            "too many messages already wait for Redis: publishing faster than Redis takes them") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final PubSub pubsub;
    private final String id;
    private final byte[] idBytes;
    private final Channels channels;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final boolean sharded;
    private final int maxMessageSize;
    private final int maxPending;
    private final Function<String, Object> keyFromString;
    private final LostWarning lostWarning;
    private final LostWarning tooLargeWarning;
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder published = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder oversize = new LongAdder();
    /** One callback for every PUBLISH, one for every refusal: no lambda per message. */
    private final BiConsumer<Long, Throwable> publishDone = this::publishDone;
    private final Consumer<Envelope.Fault> refused = this::refused;

    Traffic(RedisBridge.Builder b, PubSub pubsub, String id, Channels channels, RedisAsyncCommands<byte[], byte[]> redis) {
        this.pubsub = pubsub;
        this.id = id;
        this.idBytes = id.getBytes(StandardCharsets.UTF_8);
        this.channels = channels;
        this.redis = redis;
        this.sharded = b.sharded();
        this.maxMessageSize = b.maxMessageSize();
        this.maxPending = b.maxPending();
        this.keyFromString = b.keyFromString();
        this.lostWarning = new LostWarning(b.clock(), b.warningInterval());
        this.tooLargeWarning = new LostWarning(b.clock(), b.warningInterval());
    }

    /**
     * Encodes and publishes; any thread, never blocks.
     *
     * @return the command, or null when the message was not sent (too large, too many waiting,
     *         refused at once; each counted)
     */
    RedisFuture<Long> send(byte[] channel, int kind, long connectionId, PreparedMessage message) {
        if (message.payloadLength() > maxMessageSize) {
            tooLarge.increment();
            tooLargeWarning.lost("message(s) over the bridge's " + maxMessageSize + "-byte limit", null);
            return null;
        }
        if (pending.incrementAndGet() > maxPending) {
            publishDone(null, TOO_MANY_WAITING);
            return null;
        }
        byte[] envelope = Envelope.encode(kind, idBytes, connectionId, message);
        RedisFuture<Long> f;
        try {
            f = sharded ? redis.spublish(channel, envelope) : redis.publish(channel, envelope);
        } catch (RuntimeException refusedAtOnce) { // Lettuce may refuse at once while disconnected
            publishDone(null, refusedAtOnce);
            return null;
        }
        f.whenComplete(publishDone);
        return f;
    }

    /** A PUBLISH completed, or never started; Lettuce's thread or the publisher's. */
    private void publishDone(Long receivers, Throwable failure) {
        pending.decrementAndGet();
        if (failure == null) {
            published.increment();
        } else {
            lost.increment();
            lostWarning.lost("message(s) for other instances", failure);
        }
    }

    /** A message from Redis; Lettuce's I/O thread. Never throws. */
    void arrived(byte[] channel, byte[] bytes) {
        try {
            char kind = channels.kindOf(channel);
            if (kind == 0) {
                malformed.increment();
                return;
            }
            Envelope.Decoded d = Envelope.decode(bytes, maxMessageSize, refused);
            if (d == null) {
                return;
            }
            if (Envelope.isFrom(bytes, d, idBytes)) {
                echoes.increment();
                return;
            }
            String name = channels.nameOf(channel);
            if (kind == Channels.TOPIC && d.kind() == Envelope.TOPIC) {
                received.increment();
                pubsub.publishLocally(name, Envelope.message(bytes, d));
            } else if (kind == Channels.KEY && d.kind() == Envelope.KEY) {
                received.increment();
                pubsub.sendToKeyLocally(keyFromString.apply(name), Envelope.message(bytes, d));
            } else if (kind == Channels.INSTANCE && d.kind() == Envelope.DIRECT && name.equals(id)) {
                received.increment();
                pubsub.sendTo(d.connectionId(), Envelope.message(bytes, d));
            } else {
                malformed.increment();
            }
        } catch (RuntimeException e) {
            malformed.increment();
            LOG.log(System.Logger.Level.DEBUG, "Redis bridge " + id + ": message from Redis not delivered", e);
        }
    }

    private void refused(Envelope.Fault fault) {
        if (fault == Envelope.Fault.OVERSIZE) {
            oversize.increment();
        } else {
            malformed.increment();
        }
    }

    BridgeStats stats(long reconnects, int channelCount) {
        return new BridgeStats(published.sum(), lost.sum(), tooLarge.sum(), received.sum(), echoes.sum(),
                malformed.sum(), oversize.sum(), reconnects, channelCount, pending.get());
    }
}
