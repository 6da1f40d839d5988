package io.tern.pubsub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.tern.pubsub.PubSub;
import io.tern.pubsub.Relay;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Many instances, one set of topics: connects one {@link PubSub} (one server instance) to Redis
 * so that a publish on any instance reaches the topic's subscribers on every instance.
 *
 * <pre>{@code
 * PubSub rooms = PubSub.builder().keyOf(ws -> ((User) ws.attachment()).id()).build();
 * RedisBridge bridge = RedisBridge.builder(rooms, "redis://127.0.0.1:6379").start();
 * rooms.publish("room:42", PreparedMessage.text(json));   // every instance's subscribers
 * rooms.sendToKey("alice", PreparedMessage.text(dm));      // alice's tabs, wherever they are
 * bridge.clusterSubscriberCount("room:42").thenAccept(n -> ...);
 * }</pre>
 *
 * <ul>
 * <li><b>Publishing.</b> The bridge is the pub/sub's {@link Relay}: every {@code publish},
 *     {@code publishExcept} and {@code sendToKey} is delivered locally at once, as without a
 *     bridge, and goes to Redis once (one {@code PUBLISH}, or {@code SPUBLISH} when sharded, per
 *     message per topic, never per subscriber) in a binary envelope that names the origin
 *     instance; the origin skips its own message when Redis echoes it, so nobody gets it twice.
 *     {@code publishExcept} skips its connection, which lives on the publishing instance.</li>
 * <li><b>Receiving.</b> An instance subscribes to a topic's channel ({@code <prefix>t:<topic>})
 *     only while it has local subscribers of the topic, to a key's channel while it has a
 *     connection of the key, and to its own channel for {@link #sendTo} by connection id. Each
 *     arriving message is checked, framed once and fanned out through
 *     {@link PubSub#publishLocally}, the same encode-once path as a local publish.</li>
 * <li><b>Guarantee.</b> At most once across instances, and in order per publisher while
 *     connected: messages one thread publishes reach every subscriber on every instance in that
 *     order. Messages published while Redis is unreachable are lost for other instances (counted
 *     in {@link BridgeStats#lost()}, warned about at most once per warning interval), never
 *     retried later out of order. A topic's first subscriber on an instance hears other
 *     instances' messages from the moment Redis confirmed the subscription
 *     ({@link #isSubscribed}).</li>
 * <li><b>Redis away.</b> Local delivery never waits for Redis. Lettuce reconnects by itself
 *     (back-off between the builder's reconnect delays) and re-subscribes; the bridge then asks
 *     again for every channel it still wants and rewrites its cluster entries, without a restart.</li>
 * <li><b>Cluster view.</b> {@link #clusterSubscriberCount}, {@link #clusterPresence},
 *     {@link #clusterKeys} and {@link #clusterInstances} read what every instance writes at each
 *     heartbeat. Another instance's entries are at most one heartbeat interval old; an instance
 *     that dies without closing disappears at most one TTL after its last heartbeat (Redis
 *     expires its entries). Defaults: heartbeat every 1 s, TTL 5 s.</li>
 * <li><b>Bad input.</b> A message from Redis that is not a valid envelope (wrong magic, unknown
 *     version or kind, invalid UTF-8 in a text payload, a channel that does not match its kind)
 *     or is larger than the maximum message size is dropped whole and counted; the bridge goes
 *     on. A local message too large for the limit is delivered locally only and counted.</li>
 * </ul>
 *
 * <p>Threading contract: every public method is safe from any thread. Three kinds of threads
 * meet here: the publishers' (usually Tern event loops), which call the relay hooks and only
 * encode and hand a command to Lettuce (never waiting); Lettuce's I/O threads, which deliver
 * arrivals (decoded, framed and posted to the loops there) and complete command futures; and the
 * bridge's own single thread (its scheduler), which alone sends SUBSCRIBE/UNSUBSCRIBE and the
 * heartbeats. Shared state is concurrent maps, atomic counters and immutable values. The
 * {@code CompletionStage}s returned by the cluster queries complete on Lettuce's threads: do not
 * block in their callbacks.
 *
 * <p>Not covered: a Redis Cluster needs Lettuce's cluster client; this bridge speaks to one
 * Redis server (or a proxy) through {@code RedisClient}. Its sharded mode uses {@code SSUBSCRIBE}
 * and {@code SPUBLISH}, one channel per command, as a cluster requires.
 *
 * <p>Why some 700 lines: it is the module's one public entry point, and most of it is documented
 * API (the builder's dozen options, sending, the cluster view, state) and the wiring of Lettuce;
 * the work is done by {@code Traffic} (messages both ways), {@code Subscriptions},
 * {@code ClusterState} and {@code LocalPresence}.
 */
public final class RedisBridge implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.tern.pubsub.redis");

    private final PubSub pubsub;
    private final String id;
    private final Channels channels;
    private final String ownChannel;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScheduledExecutorService bridgeThread;
    private final boolean ownThread;
    private final LocalPresence presence = new LocalPresence();
    private final Subscriptions subscriptions;
    private final ClusterState cluster;
    private final Traffic traffic;
    private final Hooks hooks = new Hooks();
    private final ScheduledFuture<?> heartbeats;
    private final LongAdder reconnects = new LongAdder();
    private volatile boolean connected = true;
    private volatile boolean closed;

    private RedisBridge(Builder b) throws IOException {
        this.pubsub = b.pubsub;
        this.id = b.instanceId != null ? b.instanceId : HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        this.channels = new Channels(b.prefix);
        this.ownChannel = b.prefix + Channels.INSTANCE + ":" + id;
        RedisURI uri = RedisURI.create(b.uri);
        uri.setClientName("tern-" + id);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(b.reconnectMin, b.reconnectMax, 2, TimeUnit.MILLISECONDS))
                // the JDK's resolver: Netty's DNS resolver, Lettuce's default when present, can
                // spend its 5 s query timeout on each reconnection attempt
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                .build());
        try {
            this.commands = client.connect(ByteArrayCodec.INSTANCE);
            this.subscriber = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IOException("cannot connect to Redis at " + b.uri + ": " + e.getMessage(), e);
        }
        this.redis = commands.async();
        this.ownThread = b.scheduler == null;
        this.bridgeThread = ownThread ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-redis-bridge-" + id);
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
        this.traffic = new Traffic(b, pubsub, id, channels, redis);
        this.subscriptions = new Subscriptions(subscriber.async(), b.sharded, bridgeThread, this::wanted);
        this.cluster = new ClusterState(redis, channels, id, pubsub, presence, b.ttl.toMillis());
        subscriber.addListener(new Arrivals());
        subscriber.addListener(new ConnectionWatch(true));
        commands.addListener(new ConnectionWatch(false));
        try {
            pubsub.attach(hooks);
        } catch (IllegalStateException taken) {
            if (ownThread) {
                bridgeThread.shutdownNow();
            }
            subscriber.close();
            commands.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw taken;
        }
        subscriptions.check(ownChannel);
        for (String topic : pubsub.topics()) { // topics that had subscribers before the bridge came
            subscriptions.check(topicChannel(topic));
        }
        long every = b.heartbeat.toMillis();
        this.heartbeats = bridgeThread.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts configuring a bridge.
     *
     * @param pubsub   the pub/sub of this instance; the bridge attaches to it as its relay
     * @param redisUri the Redis URI, e.g. {@code redis://127.0.0.1:6379} (Lettuce's URI syntax:
     *                 password, database and {@code rediss://} for TLS as usual)
     * @return a builder
     */
    public static Builder builder(PubSub pubsub, String redisUri) {
        return new Builder(pubsub, redisUri);
    }

    /**
     * This instance's id, unique in the cluster (random unless set).
     *
     * @return the id
     */
    public String instanceId() {
        return id;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends to one connection of one instance: at once when {@code instanceId} is this one, else
     * through that instance's channel.
     *
     * @param instanceId   the instance the connection lives on ({@link #instanceId()} there)
     * @param connectionId the connection's {@code WebSocket.id()} on that instance
     * @param message      the message
     * @return completes with {@code true} if the message was queued here, or Redis handed it to
     *         the instance's channel (the instance is connected); {@code false} for an unknown
     *         connection here, no such instance, or Redis unreachable (counted as lost)
     */
    public CompletionStage<Boolean> sendTo(String instanceId, long connectionId, PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        if (instanceId.equals(id)) {
            SendStatus s = pubsub.sendTo(connectionId, message);
            return CompletableFuture.completedFuture(s == SendStatus.QUEUED || s == SendStatus.QUEUED_ABOVE_HIGH_WATERMARK);
        }
        RedisFuture<Long> f = traffic.send(channels.instance(instanceId), Envelope.DIRECT, connectionId, message);
        if (f == null) {
            return CompletableFuture.completedFuture(false);
        }
        return f.toCompletableFuture().handle((receivers, failure) -> failure == null && receivers > 0);
    }

    // ------------------------------------------------------------------ cluster view

    /**
     * The number of subscribers of a topic on every live instance: this instance's exact count
     * plus the others' as of their last heartbeat.
     *
     * @param topic the topic
     * @return completes with the count, or exceptionally if Redis cannot be read
     */
    public CompletionStage<Long> clusterSubscriberCount(String topic) {
        return cluster.subscriberCount(topic);
    }

    /**
     * Where a key is present: on which live instances, in which topics.
     *
     * @param key the key (its {@code toString()} is what crosses Redis)
     * @return completes with the presence, or exceptionally if Redis cannot be read
     */
    public CompletionStage<KeyPresence> clusterPresence(Object key) {
        return cluster.presenceOf(key.toString());
    }

    /**
     * The keys present in a topic on any live instance. Costs one read of each instance's whole
     * key hash: O(keys online), meant for room member lists, not for every message.
     *
     * @param topic the topic
     * @return completes with the keys (as text), sorted
     */
    public CompletionStage<Set<String>> clusterKeys(String topic) {
        return cluster.keysIn(topic);
    }

    /**
     * The ids of the live instances, this one included.
     *
     * @return completes with the ids
     */
    public CompletionStage<Set<String>> clusterInstances() {
        return cluster.liveOthers().thenApply(others -> {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(others);
            all.add(id);
            return java.util.Collections.unmodifiableSet(all);
        });
    }

    // ------------------------------------------------------------------ state

    /**
     * Whether Redis confirmed this instance's subscription to a topic's channel: from then on it
     * receives what other instances publish there.
     *
     * @param topic the topic
     * @return {@code true} once confirmed; {@code false} while the connection is down
     */
    public boolean isSubscribed(String topic) {
        return subscriptions.isConfirmed(topicChannel(topic));
    }

    /**
     * Whether Redis confirmed this instance's subscription to a key's channel.
     *
     * @param key the key
     * @return {@code true} once confirmed
     */
    public boolean isKeySubscribed(Object key) {
        return subscriptions.isConfirmed(keyChannel(key.toString()));
    }

    /**
     * Whether both connections to Redis are up.
     *
     * @return {@code true} when connected
     */
    public boolean isConnected() {
        return connected && commands.isOpen() && subscriber.isOpen();
    }

    /**
     * The bridge's counters.
     *
     * @return a snapshot
     */
    public BridgeStats stats() {
        return traffic.stats(reconnects.sum(), subscriptions.count());
    }

    /**
     * Detaches from the pub/sub, says goodbye (deletes this instance's cluster entries, so the
     * others' counts drop at once), unsubscribes and closes the connections. Local pub/sub goes on
     * working, for this instance only. Waits up to about 2 s for Redis.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pubsub.detach(hooks);
        heartbeats.cancel(false);
        CompletableFuture<Void> bye = new CompletableFuture<>();
        try {
            bridgeThread.execute(() -> cluster.goodbye().whenComplete((ok, e) -> bye.complete(null)));
            bye.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis bridge " + id + ": no goodbye (Redis unreachable?)", e);
        }
        if (ownThread) {
            bridgeThread.shutdownNow();
        }
        subscriber.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ internals

    private String topicChannel(String topic) {
        return channels.prefix() + Channels.TOPIC + ":" + topic;
    }

    private String keyChannel(String key) {
        return channels.prefix() + Channels.KEY + ":" + key;
    }

    /** Whether a channel is wanted now; any thread (reads concurrent state only). */
    private boolean wanted(String channel) {
        if (closed) {
            return false;
        }
        int p = channels.prefix().length();
        String name = channel.substring(p + 2);
        switch (channel.charAt(p)) {
            case Channels.TOPIC:
                return pubsub.subscriberCount(name) > 0;
            case Channels.KEY:
                return presence.isOnline(name);
            default:
                return channel.equals(ownChannel);
        }
    }

    /** Bridge thread: cluster entries, and a retry of failed subscriptions. */
    private void heartbeat() {
        try {
            if (isConnected()) {
                subscriptions.retryIfNeeded();
            }
            cluster.heartbeat();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis bridge " + id + ": heartbeat not sent", e);
        }
    }

    /** The pub/sub's relay: hands each publish and key send to Redis, and follows presence. */
    private final class Hooks implements Relay {
        @Override
        public void published(String topic, PreparedMessage message) {
            traffic.send(channels.topic(topic), Envelope.TOPIC, 0, message);
        }

        @Override
        public void sentToKey(Object key, PreparedMessage message) {
            traffic.send(channels.key(key.toString()), Envelope.KEY, 0, message);
        }

        @Override
        public void topicActive(String topic) {
            subscriptions.check(topicChannel(topic));
        }

        @Override
        public void topicInactive(String topic) {
            subscriptions.check(topicChannel(topic));
        }

        @Override
        public void joined(String topic, Object key) {
            presence.topic(key.toString(), topic, 1);
        }

        @Override
        public void left(String topic, Object key) {
            presence.topic(key.toString(), topic, -1);
        }

        @Override
        public void keyOnline(Object key) {
            presence.online(key.toString(), 1);
            subscriptions.check(keyChannel(key.toString()));
        }

        @Override
        public void keyOffline(Object key) {
            presence.online(key.toString(), -1);
            subscriptions.check(keyChannel(key.toString()));
        }
    }

    /** Messages on the subscription connection; Lettuce's I/O thread. */
    private final class Arrivals extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            traffic.arrived(channel, message);
        }

        @Override
        public void smessage(byte[] channel, byte[] message) {
            traffic.arrived(channel, message);
        }
    }

    /** Connection losses and returns; Lettuce's threads. */
    private final class ConnectionWatch implements RedisConnectionStateListener {
        private final boolean subscriptionConnection;
        private volatile boolean lostOnce;

        ConnectionWatch(boolean subscriptionConnection) {
            this.subscriptionConnection = subscriptionConnection;
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            connected = false;
            lostOnce = true;
            if (subscriptionConnection) {
                subscriptions.disconnected();
            }
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "Redis bridge " + id + ": connection to Redis lost; local delivery"
                        + " goes on, Lettuce reconnects");
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (!lostOnce || closed) {
                return;
            }
            connected = commands.isOpen() && subscriber.isOpen();
            try {
                if (subscriptionConnection) {
                    reconnects.increment();
                    bridgeThread.execute(subscriptions::resync);
                } else {
                    cluster.rewriteNext();
                    bridgeThread.execute(RedisBridge.this::heartbeat);
                }
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the bridge's thread is gone: nothing to resync
            }
            LOG.log(System.Logger.Level.INFO, "Redis bridge " + id + ": reconnected to Redis at " + address);
        }
    }

    /** Configures a {@link RedisBridge}. Not thread-safe; build once. */
    public static final class Builder {
        private final PubSub pubsub;
        private final String uri;
        private String prefix = "tern:";
        private boolean sharded;
        private String instanceId;
        private Duration heartbeat = Duration.ofSeconds(1);
        private Duration ttl = Duration.ofSeconds(5);
        private int maxMessageSize = 1 << 20;
        private int maxPending = 100_000;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(2);
        private Duration warningInterval = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Function<String, Object> keyFromString = s -> s;

        private Builder(PubSub pubsub, String uri) {
            this.pubsub = Objects.requireNonNull(pubsub, "pubsub");
            this.uri = Objects.requireNonNull(uri, "redisUri");
        }

        /**
         * The prefix of every Redis channel and key the bridge uses (default {@code tern:}):
         * several applications can share one Redis with different prefixes.
         *
         * @param prefix the prefix, not empty
         * @return this builder
         */
        public Builder channelPrefix(String prefix) {
            if (prefix.isEmpty()) {
                throw new IllegalArgumentException("the channel prefix must not be empty");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * Uses sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7) instead of
         * {@code SUBSCRIBE}/{@code PUBLISH}. Every instance of a cluster must agree.
         *
         * @param sharded whether to shard (default {@code false})
         * @return this builder
         */
        public Builder sharded(boolean sharded) {
            this.sharded = sharded;
            return this;
        }

        /**
         * This instance's id (default: 16 random hex digits). Must be unique among the instances.
         *
         * @param id 1..64 characters, no braces
         * @return this builder
         */
        public Builder instanceId(String id) {
            if (id.isEmpty() || id.length() > 64 || id.indexOf('{') >= 0 || id.indexOf('}') >= 0) {
                throw new IllegalArgumentException("an instance id has 1..64 characters and no braces: " + id);
            }
            this.instanceId = id;
            return this;
        }

        /**
         * How often this instance writes its counts and presence, and how long Redis keeps them
         * without a renewal: the bound within which a dead instance disappears from the others'
         * view (default 1 s and 5 s).
         *
         * @param interval the heartbeat interval, at least 10 ms
         * @param ttl      the time to live, at least twice the interval
         * @return this builder
         */
        public Builder heartbeat(Duration interval, Duration ttl) {
            if (interval.toMillis() < 10 || ttl.compareTo(interval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("heartbeat interval must be >= 10 ms and the TTL at least twice"
                        + " the interval: " + interval + ", " + ttl);
            }
            this.heartbeat = interval;
            this.ttl = ttl;
            return this;
        }

        /**
         * The largest payload that crosses Redis, both ways (default 1 MiB). Larger local
         * messages are delivered locally only; larger arrivals are dropped; both are counted.
         *
         * @param bytes the limit, at least 1
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageSize must be positive: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * The most messages that may wait for Redis at once (default 100,000): past it, a publish
         * is delivered locally and counted as lost for the others at once, instead of queueing
         * without bound (and failing anyway at the command timeout) when publishers outrun Redis.
         *
         * @param messages the limit, at least 1
         * @return this builder
         */
        public Builder maxPendingPublishes(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("maxPendingPublishes must be positive: " + messages);
            }
            this.maxPending = messages;
            return this;
        }

        /**
         * How long a Redis command may take before it counts as failed (default 5 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The reconnection back-off: from {@code min}, doubling, up to {@code max} (default
         * 100 ms to 2 s).
         *
         * @param min the first delay
         * @param max the largest delay
         * @return this builder
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            this.reconnectMin = Objects.requireNonNull(min, "min");
            this.reconnectMax = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * At most one warning about lost messages per interval (default 10 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder warningInterval(Duration interval) {
            this.warningInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The clock of the warnings' rate limit (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The thread the bridge runs its heartbeats and subscription changes on (default: a
         * daemon thread of its own, stopped by {@link RedisBridge#close()}). Must run one task at
         * a time; the bridge does not shut a given scheduler down.
         *
         * @param scheduler a single-threaded scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * How a key that arrives from Redis as text becomes the pub/sub's key (as
         * {@link PubSub.Builder#keyOf} makes it): identity by default, for string keys; e.g.
         * {@code Long::valueOf} for numeric user ids.
         *
         * @param parse the function
         * @return this builder
         */
        public Builder keyFromString(Function<String, Object> parse) {
            this.keyFromString = Objects.requireNonNull(parse, "parse");
            return this;
        }

        boolean sharded() {
            return sharded;
        }

        int maxMessageSize() {
            return maxMessageSize;
        }

        int maxPending() {
            return maxPending;
        }

        Function<String, Object> keyFromString() {
            return keyFromString;
        }

        Clock clock() {
            return clock;
        }

        Duration warningInterval() {
            return warningInterval;
        }

        /**
         * Connects to Redis (both connections), attaches to the pub/sub and starts the heartbeat.
         *
         * @return the running bridge
         * @throws IOException if Redis cannot be reached now (later losses are survived)
         * @throws IllegalStateException if the pub/sub already has a relay
         */
        public RedisBridge start() throws IOException {
            return new RedisBridge(this);
        }
    }
}
