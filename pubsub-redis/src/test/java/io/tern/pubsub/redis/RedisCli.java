package io.tern.pubsub.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tests' own Redis connection (Lettuce, synchronous): command statistics, raw publishes, client kills. */
final class RedisCli implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    final RedisCommands<byte[], byte[]> redis;

    RedisCli(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
    }

    /** How many times Redis ran a command since the last reset (INFO commandstats). */
    long calls(String command) {
        String info = redis.info("commandstats");
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    void resetStats() {
        redis.configResetstat();
    }

    long publish(String channel, byte[] message) {
        return redis.publish(channel.getBytes(StandardCharsets.UTF_8), message);
    }

    /** Closes every connection of an instance's bridge, as a network cut would. */
    void killClientsOf(String instanceId) {
        String list = redis.clientList();
        for (String line : list.split("\n")) {
            if (line.contains(" name=tern-" + instanceId + " ")) {
                Matcher m = Pattern.compile("\\bid=(\\d+)").matcher(line);
                if (m.find()) {
                    redis.clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(m.group(1))));
                }
            }
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
