package io.tern.pubsub.redis;

import io.tern.pubsub.PubSub;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A side-by-side measurement of the bridge (not a test; run by hand, see the README's "Several
 * instances over Redis"): the same fan-out on one instance without a bridge, and on two instances
 * bridged by a local redis-server, in one JVM, with Tern's own client as subscribers.
 *
 * <ul>
 * <li>Throughput: one publisher thread publishes {@code MESSAGES} binary messages of 64 bytes as
 *     fast as the slowest subscriber keeps up (at most 5,000 messages ahead of it) to one topic with {@code SUBSCRIBERS} subscribers (split evenly over the
 *     instances); the clock stops when every subscriber has every message.</li>
 * <li>Latency: {@code PACED} messages at a fixed rate, each carrying its send time; every
 *     receipt's delay is kept and the percentiles are exact (sorted).</li>
 * <li>Redis' cost: {@code INFO commandstats} calls of PUBLISH before and after.</li>
 * </ul>
 *
 * Usage: {@code java -cp ... io.tern.pubsub.redis.BridgeBenchmark [messages] [subscribers]}
 */
public final class BridgeBenchmark {

    private static final int PAYLOAD = 64;
    private static final int WINDOW = 5_000;

    /** Counts receipts and keeps the latencies of paced messages. */
    static final class Counter implements WebSocketHandler<Object> {
        final AtomicLong received = new AtomicLong();
        final long[] latencies;
        int paced;

        Counter(int capacity) {
            latencies = new long[capacity];
        }

        @Override
        public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
            long sent = data.getLong(data.position());
            if (sent != 0 && paced < latencies.length) {
                latencies[paced++] = System.nanoTime() - sent;
            }
            received.incrementAndGet();
        }
    }

    private BridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int paced = 5_000;
        System.out.println("Tern bridge benchmark: " + messages + " messages of " + PAYLOAD + " bytes to " + subscribers
                + " subscribers; latency from " + paced + " messages at 1000/s; " + Runtime.getRuntime().availableProcessors()
                + " processors, Java " + Runtime.version());
        try (RedisProcess redis = RedisProcess.start(); RedisCli cli = new RedisCli(redis.uri())) {
            for (int round = 0; round < 2; round++) {
                run("one instance, no bridge", 1, false, redis, cli, messages, subscribers, paced);
                run("two instances over Redis", 2, true, redis, cli, messages, subscribers, paced);
            }
        }
    }

    private static void run(String label, int instances, boolean bridged, RedisProcess redis, RedisCli cli, int messages,
            int subscribers, int paced) throws Exception {
        List<WebSocketServer> servers = new ArrayList<>();
        List<PubSub> pubsubs = new ArrayList<>();
        List<RedisBridge> bridges = new ArrayList<>();
        List<Counter> counters = new ArrayList<>();
        try (WebSocketClient client = WebSocketClient.create(2)) {
            for (int i = 0; i < instances; i++) {
                PubSub pubsub = PubSub.create();
                pubsubs.add(pubsub);
                if (bridged) {
                    bridges.add(RedisBridge.builder(pubsub, redis.uri()).channelPrefix("bench:").start());
                }
                servers.add(WebSocketServer.builder().address("127.0.0.1", 0).loops(1)
                        .route("/b", new WebSocketHandler<Object>() {
                            @Override
                            public void onOpen(WebSocket<Object> ws) {
                                pubsub.subscribe(ws, "bench");
                            }
                        }, ConnectionSettings.defaults().withOutboundLimits(1 << 20, 8 << 20, 256 << 20))
                        .build().start());
            }
            for (int s = 0; s < subscribers; s++) {
                Counter c = new Counter(paced);
                counters.add(c);
                WebSocketServer server = servers.get(s % instances);
                client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/b"), c,
                        ConnectionSettings.defaults().withMaxMessageSize(1 << 16)).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < instances; i++) {
                PubSub p = pubsubs.get(i);
                RedisBridge b = bridged ? bridges.get(i) : null;
                awaitTrue(() -> p.subscriberCount("bench") == subscribers / instances && (b == null || b.isSubscribed("bench")));
            }
            PubSub publisher = pubsubs.get(0);
            byte[] payload = new byte[PAYLOAD];
            // warm-up
            blast(publisher, payload, 20_000, counters);
            awaitAll(counters, 20_000);
            reset(counters);
            long publishesBefore = cli.calls("publish");

            long start = System.nanoTime();
            blast(publisher, payload, messages, counters);
            awaitAll(counters, messages);
            double seconds = (System.nanoTime() - start) / 1e9;
            long publishes = cli.calls("publish") - publishesBefore;
            reset(counters);

            long every = TimeUnit.MILLISECONDS.toNanos(1);
            long next = System.nanoTime();
            ByteBuffer stamped = ByteBuffer.allocate(PAYLOAD);
            for (int m = 0; m < paced; m++) {
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(50_000);
                }
                stamped.putLong(0, System.nanoTime());
                publisher.publish("bench", PreparedMessage.binary(stamped));
                next += every;
            }
            awaitAll(counters, paced);
            long[] local = merge(counters, 0, instances);
            long[] remote = instances > 1 ? merge(counters, 1, instances) : new long[0];
            System.out.printf("%-26s throughput %,10.0f msg/s published, %,12.0f deliveries/s; PUBLISH calls %d"
                            + " for %d messages%n", label, messages / seconds, messages * (double) subscribers / seconds,
                    publishes, messages);
            System.out.printf("%-26s latency same instance   p50 %6.0f us  p99 %6.0f us  max %7.0f us%n", "",
                    pct(local, 50), pct(local, 99), pct(local, 100));
            if (remote.length > 0) {
                System.out.printf("%-26s latency across Redis    p50 %6.0f us  p99 %6.0f us  max %7.0f us%n", "",
                        pct(remote, 50), pct(remote, 99), pct(remote, 100));
            }
        } finally {
            bridges.forEach(RedisBridge::close);
            servers.forEach(WebSocketServer::close);
        }
    }

    /**
     * Publishes as fast as every subscriber keeps up: the publisher waits whenever the slowest
     * subscriber is more than {@code WINDOW} messages behind (closed loop, the same for both setups).
     */
    private static void blast(PubSub publisher, byte[] payload, int n, List<Counter> counters) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        for (int m = 0; m < n; m++) {
            if ((m & 255) == 0) {
                while (m - slowest(counters) > WINDOW) {
                    LockSupport.parkNanos(20_000);
                }
            }
            publisher.publish("bench", PreparedMessage.binary(b));
        }
    }

    private static long slowest(List<Counter> counters) {
        long min = Long.MAX_VALUE;
        for (Counter c : counters) {
            min = Math.min(min, c.received.get());
        }
        return min;
    }

    private static void reset(List<Counter> counters) {
        for (Counter c : counters) {
            c.received.set(0);
            c.paced = 0;
        }
    }

    private static void awaitAll(List<Counter> counters, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Counter c : counters) {
            while (c.received.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a subscriber got " + c.received.get() + " of " + n);
                }
                Thread.sleep(1);
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("setup did not complete");
            }
            Thread.sleep(2);
        }
    }

    /** The latencies of the subscribers of one instance (subscriber s is on instance s % instances). */
    private static long[] merge(List<Counter> counters, int instance, int instances) {
        long[] all = new long[0];
        for (int s = instance; s < counters.size(); s += instances) {
            Counter c = counters.get(s);
            int from = all.length;
            all = Arrays.copyOf(all, from + c.paced);
            System.arraycopy(c.latencies, 0, all, from, c.paced);
        }
        Arrays.sort(all);
        return all;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }
}
