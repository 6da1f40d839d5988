package io.tern.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tern.transport.SendStatus;
import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler, for a server route or a client connection, that writes down everything it is told:
 * the {@link Events} it inherits cover all of its connections (what a test with one connection
 * reads), and {@link #track} gives one connection's own. With {@code echo} it also sends every
 * message (or fragment) straight back, on the loop.
 *
 * <p>Callbacks run on the connections' loop threads; the test thread reads the thread-safe
 * fields and calls the waiting methods. Subclasses may override callbacks to behave differently;
 * one that overrides {@link #onOpen} calls {@code super.onOpen} first.
 */
public class Recorder extends Events implements WebSocketHandler<Object> {

    /** A whole data message: whether it was text, and its bytes (UTF-8 for text). */
    public record Message(boolean text, byte[] data) {

        /** The data decoded as UTF-8. */
        public String string() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** What {@link WebSocketHandler#onClose} reported. */
    public record Closed(int code, String reason, boolean clean) {
    }

    /** One connection's events; assembles its fragments on its loop thread. */
    public static final class Track extends Events {
        /** The connection. */
        public final WebSocket<Object> socket;
        /** When onOpen ran, as {@link System#nanoTime()}. */
        public final long openedAtNanos = System.nanoTime();
        private ByteArrayOutputStream partial;

        Track(WebSocket<Object> socket) {
            this.socket = socket;
        }
    }

    /** The first connection, once open. */
    public final CompletableFuture<WebSocket<Object>> opened = new CompletableFuture<>();
    /** How many connections opened. */
    public final AtomicInteger opens = new AtomicInteger();
    /** Every connection's events, by connection. */
    public final Map<WebSocket<Object>, Track> tracks = new ConcurrentHashMap<>();

    private final boolean echo;
    private final BlockingQueue<WebSocket<Object>> openOrder = new LinkedBlockingQueue<>();
    private final AtomicInteger received = new AtomicInteger();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    /** A recorder that does not echo. */
    public Recorder() {
        this(false);
    }

    /** A recorder that sends every message (or fragment) straight back when {@code echo}. */
    public Recorder(boolean echo) {
        this.echo = echo;
    }

    /** A copy of the remaining bytes, leaving the buffer as it was. */
    public static byte[] bytes(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }

    /** The remaining bytes decoded as UTF-8, leaving the buffer as it was. */
    public static String text(ByteBuffer utf8) {
        return StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
    }

    // ------------------------------------------------------------------ for the test thread

    /** Waits at most {@code seconds} for the first connection to open; throws on timeout. */
    public WebSocket<Object> awaitOpen(long seconds) throws Exception {
        return opened.get(seconds, TimeUnit.SECONDS);
    }

    /** The next connection to open, in order; waits at most 5 s. */
    public WebSocket<Object> nextOpen() throws InterruptedException {
        WebSocket<Object> ws = openOrder.poll(5, TimeUnit.SECONDS);
        assertNotNull(ws, "no connection opened within 5 s");
        return ws;
    }

    /** One connection's events; fails when it never opened here. */
    public Track track(WebSocket<?> ws) {
        Track t = tracks.get(ws);
        assertNotNull(t, () -> "no onOpen seen for " + ws);
        return t;
    }

    /** Echoes that were refused (neither queued nor queued above the high watermark). */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** A summary for failure messages. */
    public String describe() {
        return "connections=" + opens.get() + " messages=" + received.get()
                + " opened(compressed)=" + (opened.isDone() ? opened.join().isCompressed() : "no")
                + " closed=" + (closed.isDone() ? closed.join() : "no") + " problems=" + problems();
    }

    // ------------------------------------------------------------------ callbacks

    @Override
    public void onOpen(WebSocket<Object> socket) {
        tracks.put(socket, new Track(socket));
        opens.incrementAndGet();
        openOrder.add(socket);
        opened.complete(socket);
    }

    @Override
    public void onText(WebSocket<Object> socket, ByteBuffer utf8, boolean last) {
        piece(socket, true, utf8, last);
        if (echo) {
            echo(socket, socket.sendText(utf8), utf8);
        }
    }

    @Override
    public void onBinary(WebSocket<Object> socket, ByteBuffer data, boolean last) {
        piece(socket, false, data, last);
        if (echo) {
            echo(socket, socket.sendBinary(data), data);
        }
    }

    private void echo(WebSocket<Object> socket, SendStatus status, ByteBuffer data) {
        if (status != SendStatus.QUEUED && status != SendStatus.QUEUED_ABOVE_HIGH_WATERMARK) {
            problems.add("echo of a " + data.remaining() + "-byte message on " + socket + ": " + status);
        }
    }

    private void piece(WebSocket<Object> socket, boolean text, ByteBuffer data, boolean last) {
        Track t = tracks.get(socket);
        byte[] whole;
        if (t.partial == null && last) {
            whole = bytes(data);
        } else {
            if (t.partial == null) {
                t.partial = new ByteArrayOutputStream();
            }
            t.partial.writeBytes(bytes(data));
            if (!last) {
                return;
            }
            whole = t.partial.toByteArray();
            t.partial = null;
        }
        Message m = new Message(text, whole);
        t.messages.add(m);
        messages.add(m);
        received.incrementAndGet();
    }

    @Override
    public void onPing(WebSocket<Object> socket, ByteBuffer payload) {
        byte[] p = bytes(payload);
        tracks.get(socket).pings.add(p);
        pings.add(p);
    }

    @Override
    public void onPong(WebSocket<Object> socket, ByteBuffer payload) {
        byte[] p = bytes(payload);
        tracks.get(socket).pongs.add(p);
        pongs.add(p);
    }

    @Override
    public void onDrain(WebSocket<Object> socket) {
        long queued = socket.queuedBytes();
        for (Events e : new Events[] {tracks.get(socket), this}) {
            e.queuedAtDrain.add(queued);
            e.drains.incrementAndGet();
        }
    }

    @Override
    public void onError(WebSocket<Object> socket, Throwable error) {
        Track t = tracks.get(socket);
        if (t != null) {
            t.errors.add(error);
        }
        errors.add(error);
    }

    @Override
    public void onClose(WebSocket<Object> socket, int code, String reason, boolean clean) {
        long now = System.nanoTime();
        Closed c = new Closed(code, reason, clean);
        Track t = tracks.get(socket);
        if (t != null) {
            t.close(c, now);
        }
        close(c, now);
    }
}
