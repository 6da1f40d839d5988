package io.tern.transport.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.codec.deflate.DeflateOptions;
import io.tern.transport.ConnectionSettings;
import io.tern.transport.PreparedMessage;
import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketClient;
import io.tern.transport.WebSocketHandler;
import io.tern.transport.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prepared messages to 1,000 connections spread over two server loops: one task per loop per
 * message, every message arrives intact and in order at every client, and sending a prepared
 * message allocates nothing per recipient in steady state (measured with the JVM's per-thread
 * allocation counters on the loop threads, inside the fan-out tasks). Plain, and compressed with
 * and without context takeover; with context takeover each connection compresses its own copy,
 * so only delivery is asserted there. The loop threads' whole allocation is printed too: the
 * JDK's epoll selector boxes an {@code Integer} per ready event and interest change, which a
 * saturated two-core run with co-located clients makes frequent.
 */
@Timeout(180)
class PreparedFanOutTest {

    private static final int CONNECTIONS = 1000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Bytes the loop threads allocated inside the fan-out tasks (the sends themselves). */
    private static final AtomicLong IN_SENDS = new AtomicLong();
    private static final int WARMUP = 200;
    private static final int MEASURED = 400;
    /** Messages published before waiting for their delivery, as a publisher paced by its source. */
    private static final int BATCH = 20;

    enum Mode {
        PLAIN(null, false),
        COMPRESSED_SHARED(DeflateOptions.defaults().withServerNoContextTakeover(true), true),
        COMPRESSED_CONTEXT_TAKEOVER(DeflateOptions.defaults(), true);

        final DeflateOptions deflate;
        final boolean compressed;

        Mode(DeflateOptions deflate, boolean compressed) {
            this.deflate = deflate;
            this.compressed = compressed;
        }
    }

    private static String message(int seq) {
        return "{\"seq\":" + seq + ",\"topic\":\"prices\",\"body\":\"" + "tick ".repeat(30) + "\"}";
    }

    /** A client that checks every message: the expected text, in order. */
    private static final class Checker implements WebSocketHandler<Object> {
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<String> problem;
        final AtomicLong received;

        Checker(AtomicReference<String> problem, AtomicLong received) {
            this.problem = problem;
            this.received = received;
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            int expected = next.getAndIncrement();
            String got = StandardCharsets.UTF_8.decode(utf8).toString();
            if (!last || !got.equals(message(expected))) {
                problem.compareAndSet(null, "connection " + ws.id() + " expected message " + expected + ", got " + got);
            }
            received.incrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyMessageArrivesInOrderAndTheLoopsAllocateNothingPerRecipient(Mode mode) throws Exception {
        ConcurrentLinkedQueue<WebSocket<Object>> serverSide = new ConcurrentLinkedQueue<>();
        WebSocketHandler<Object> collect = new WebSocketHandler<>() {
            @Override
            public void onOpen(WebSocket<Object> ws) {
                serverSide.add(ws);
            }
        };
        ConnectionSettings serverSettings = ConnectionSettings.defaults().withDeflate(mode.deflate);
        ConnectionSettings clientSettings = ConnectionSettings.defaults()
                .withDeflate(mode.deflate == null ? null : DeflateOptions.defaults());
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        try (WebSocketServer server = WebSocketServer.builder().address("127.0.0.1", 0).loops(2)
                .route("/fan", collect, serverSettings).build().start();
             WebSocketClient client = WebSocketClient.create(2)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/fan");
            List<CompletableFuture<WebSocket<Object>>> connecting = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connecting.add(client.connect(uri, new Checker(problem, received), clientSettings));
            }
            for (CompletableFuture<WebSocket<Object>> f : connecting) {
                f.get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (serverSide.size() < CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(CONNECTIONS, serverSide.size());
            Map<Executor, List<WebSocket<Object>>> byLoop = new IdentityHashMap<>();
            for (WebSocket<Object> ws : serverSide) {
                assertEquals(mode.compressed, ws.isCompressed());
                byLoop.computeIfAbsent(ws.executor(), e -> new ArrayList<>()).add(ws);
            }
            assertEquals(2, byLoop.size(), "connections are spread over both loops");

            for (int seq = 0; seq < WARMUP; seq += BATCH) {
                publish(byLoop, seq, seq + BATCH, received, problem);
            }
            long[] loopThreads = serverLoopThreadIds();
            long before = allocated(loopThreads);
            IN_SENDS.set(0);
            for (int seq = WARMUP; seq < WARMUP + MEASURED; seq += BATCH) {
                publish(byLoop, seq, seq + BATCH, received, problem);
            }
            long after = allocated(loopThreads);
            long recipients = MEASURED * (long) CONNECTIONS;
            double inSends = IN_SENDS.get() / (double) recipients;
            double whole = (after - before) / (double) recipients;
            System.out.printf("prepared fan-out %s: %.3f bytes allocated per recipient by the sends, %.3f by the"
                    + " loop threads in all (selector and flushes included)%n", mode, inSends, whole);
            if (mode != Mode.COMPRESSED_CONTEXT_TAKEOVER) {
                // What is left is per message and per loop (the loop's view of the frame), not per
                // recipient: 500 recipients a loop share it.
                assertTrue(inSends < 1.0, mode + ": " + inSends + " bytes allocated per recipient by the sends");
            }
        }
    }

    /** Publishes messages [from, to): one task per loop per message, then waits for every delivery. */
    private static void publish(Map<Executor, List<WebSocket<Object>>> byLoop, int from, int to,
                                AtomicLong received, AtomicReference<String> problem) throws Exception {
        for (int seq = from; seq < to; seq++) {
            PreparedMessage m = PreparedMessage.text(message(seq));
            for (Map.Entry<Executor, List<WebSocket<Object>>> e : byLoop.entrySet()) {
                List<WebSocket<Object>> group = e.getValue();
                e.getKey().execute(() -> {
                    long start = THREADS.getCurrentThreadAllocatedBytes();
                    for (int i = 0, n = group.size(); i < n; i++) {
                        SendStatus s = group.get(i).send(m);
                        if (s == SendStatus.DROPPED || s == SendStatus.CLOSED) {
                            problem.compareAndSet(null, "send returned " + s);
                        }
                    }
                    IN_SENDS.addAndGet(THREADS.getCurrentThreadAllocatedBytes() - start);
                });
            }
        }
        long expected = (long) to * CONNECTIONS;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() < expected && problem.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(null, problem.get());
        assertEquals(expected, received.get(), "deliveries");
        CountDownLatch idle = new CountDownLatch(byLoop.size());
        for (Executor loop : byLoop.keySet()) {
            loop.execute(idle::countDown); // the loops have finished this batch's work
        }
        assertTrue(idle.await(10, TimeUnit.SECONDS));
    }

    private static long[] serverLoopThreadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tern-server-loop-"))
                .mapToLong(Thread::getId).toArray();
    }

    private static long allocated(long[] threads) {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(threads)) {
            sum += b;
        }
        return sum;
    }
}
