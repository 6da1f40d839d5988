package io.tern.transport.robust;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Helpers shared by the robustness tests. */
final class Support {

    private Support() {
    }

    static URI uri(int port, String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    /** Polls {@code condition} every few milliseconds; fails with {@code message} at the deadline. */
    static void await(BooleanSupplier condition, Duration max, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + max.toMillis() + " ms: " + message.get());
            }
            Thread.sleep(5);
        }
    }

    /** Names of live threads whose name starts with {@code prefix}. */
    static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    /** Live threads whose name starts with {@code prefix}. */
    static java.util.Set<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Names of the threads in {@code threads} that are still alive. */
    static List<String> stillAlive(java.util.Collection<Thread> threads) {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
    }

    /**
     * For a failure message: whether threads found alive too early end within a second after all
     * (a race with their exit) or stay (a leak).
     */
    static String fateOf(java.util.Collection<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(1000);
        }
        List<String> after = stillAlive(threads);
        return after.isEmpty() ? "the loop threads ended moments later (still exiting when the call returned)"
                : after + " still alive 1 s later (leaked)";
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    static String text(ByteBuffer utf8) {
        return StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
    }

    /** How a connection ended, as its handler saw it. */
    record Closed(int code, String reason, boolean clean, long atNanos) {
        @Override
        public String toString() {
            return "Closed[code=" + code + ", reason=" + reason + ", clean=" + clean + "]";
        }
    }

    /** Per-connection observations of a {@link Recorder}. */
    static final class Track {
        final long openedAt = System.nanoTime();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        final AtomicInteger closeCalls = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger pongs = new AtomicInteger();
        final AtomicInteger drains = new AtomicInteger();
        final AtomicInteger messages = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> queuedAtDrain = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    }

    /**
     * A handler (server route or client connection) that records what happens to each of its
     * connections and optionally echoes data messages on the loop.
     */
    static final class Recorder implements WebSocketHandler<Object> {
        private final boolean echo;
        final LinkedBlockingQueue<WebSocket<Object>> opened = new LinkedBlockingQueue<>();
        final Map<WebSocket<Object>, Track> tracks = new ConcurrentHashMap<>();
        final AtomicInteger opens = new AtomicInteger();

        Recorder(boolean echo) {
            this.echo = echo;
        }

        Track track(WebSocket<?> ws) {
            Track t = tracks.get(ws);
            assertNotNull(t, "no onOpen seen for " + ws);
            return t;
        }

        WebSocket<Object> nextOpen() throws InterruptedException {
            WebSocket<Object> ws = opened.poll(5, TimeUnit.SECONDS);
            assertNotNull(ws, "no connection opened within 5 s");
            return ws;
        }

        @Override
        public void onOpen(WebSocket<Object> ws) {
            tracks.put(ws, new Track());
            opens.incrementAndGet();
            opened.add(ws);
        }

        @Override
        public void onText(WebSocket<Object> ws, ByteBuffer utf8, boolean last) {
            Track t = tracks.get(ws);
            t.messages.incrementAndGet();
            if (echo) {
                ws.sendText(utf8);
            } else {
                t.texts.add(text(utf8));
            }
        }

        @Override
        public void onBinary(WebSocket<Object> ws, ByteBuffer data, boolean last) {
            Track t = tracks.get(ws);
            t.messages.incrementAndGet();
            if (echo) {
                ws.sendBinary(data);
            } else {
                t.binaries.add(bytes(data));
            }
        }

        @Override
        public void onPing(WebSocket<Object> ws, ByteBuffer payload) {
            tracks.get(ws).pings.incrementAndGet();
        }

        @Override
        public void onPong(WebSocket<Object> ws, ByteBuffer payload) {
            tracks.get(ws).pongs.incrementAndGet();
        }

        @Override
        public void onDrain(WebSocket<Object> ws) {
            Track t = tracks.get(ws);
            t.queuedAtDrain.add(ws.queuedBytes());
            t.drains.incrementAndGet();
        }

        @Override
        public void onError(WebSocket<Object> ws, Throwable error) {
            Track t = tracks.get(ws);
            if (t != null) {
                t.errors.add(error);
            }
        }

        @Override
        public void onClose(WebSocket<Object> ws, int code, String reason, boolean clean) {
            long now = System.nanoTime();
            Track t = tracks.get(ws);
            t.closeCalls.incrementAndGet();
            t.closed.complete(new Closed(code, reason, clean, now));
        }
    }
}
