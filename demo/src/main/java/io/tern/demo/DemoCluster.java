package io.tern.demo;

import io.tern.pubsub.redis.RedisBridge;
import io.tern.transport.WebSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's {@code --redis} option: one {@link RedisBridge} for the chat's rooms and one for
 * {@code /broadcast}, each under its own channel prefix, so that several demo servers sharing one
 * Redis act as one: a chat user on one instance talks with users on the others (room messages,
 * presence, direct messages), and a {@code /broadcast} message reaches the route's connections on
 * every instance. Heartbeats every 250 ms with a 3 s TTL: member lists lag other instances by
 * at most a quarter of a second, and a crashed instance's users vanish within 3 s.
 *
 * <p>Threading contract: {@link #join} runs once per server on the starting thread; the bridges
 * are thread-safe; {@link #leave} may run on any thread (the shutdown hook's, a test's), once per
 * server.
 */
final class DemoCluster {

    /** Channel prefixes: the chat and broadcast topics never meet. */
    static final String CHAT_PREFIX = "tern-demo:chat:";
    static final String BROADCAST_PREFIX = "tern-demo:broadcast:";

    private static final ConcurrentHashMap<WebSocketServer, List<RedisBridge>> RUNNING = new ConcurrentHashMap<>();

    private DemoCluster() {
    }

    /**
     * Bridges the chat and the broadcast route to Redis.
     *
     * @return the bridges, to {@link #register} with the server once it runs
     * @throws IOException if Redis cannot be reached
     */
    static List<RedisBridge> join(String redisUri, ChatHandler chat, Broadcast broadcast) throws IOException {
        Duration every = Duration.ofMillis(250);
        Duration ttl = Duration.ofSeconds(3);
        RedisBridge rooms = RedisBridge.builder(chat.pubsub(), redisUri)
                .channelPrefix(CHAT_PREFIX).heartbeat(every, ttl).start();
        String instance = rooms.instanceId(); // one name for this server in both views
        RedisBridge all;
        try {
            all = RedisBridge.builder(broadcast.pubsub(), redisUri)
                    .channelPrefix(BROADCAST_PREFIX).heartbeat(every, ttl).instanceId(instance).start();
        } catch (IOException e) {
            rooms.close();
            throw e;
        }
        chat.acrossInstances(room -> rooms.clusterKeys(room));
        return List.of(rooms, all);
    }

    static void register(WebSocketServer server, List<RedisBridge> bridges, PrintStream out, String redisUri) {
        RUNNING.put(server, bridges);
        out.println("Sharing /chat rooms and /broadcast with every demo server on " + redisUri + " (instance "
                + bridges.get(0).instanceId() + ").");
    }

    /**
     * Closes a server's bridges, if it has any: its users leave the other instances' views at once.
     *
     * @param server the server
     */
    static void leave(WebSocketServer server) {
        List<RedisBridge> bridges = RUNNING.remove(server);
        if (bridges != null) {
            bridges.forEach(RedisBridge::close);
        }
    }

    /**
     * The bridges of a running server.
     *
     * @param server the server
     * @return its bridges (chat, broadcast), or an empty list without {@code --redis}
     */
    static List<RedisBridge> bridgesOf(WebSocketServer server) {
        return RUNNING.getOrDefault(server, List.of());
    }
}
