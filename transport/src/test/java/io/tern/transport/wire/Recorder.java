package io.tern.transport.wire;

import io.tern.transport.WebSocket;
import io.tern.transport.WebSocketHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler that writes down everything it is told, for either side: whole messages (assembled
 * from pieces when the connection delivers fragments), pings, pongs, errors and the one close.
 * It can also echo whole messages.
 */
class Recorder implements WebSocketHandler<Object> {

    /** A received data message. */
    record Message(boolean text, byte[] data) {
    }

    /** What {@link WebSocketHandler#onClose} reported. */
    record Closed(int code, String reason, boolean clean) {
    }

    final CompletableFuture<WebSocket<Object>> opened = new CompletableFuture<>();
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    /** Counts onClose calls: it must be exactly one. */
    final java.util.concurrent.atomic.AtomicInteger closeCalls = new java.util.concurrent.atomic.AtomicInteger();

    private final boolean echo;
    private ByteArrayOutputStream partial;

    Recorder() {
        this(false);
    }

    Recorder(boolean echo) {
        this.echo = echo;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }

    @Override
    public void onOpen(WebSocket<Object> socket) {
        opened.complete(socket);
    }

    @Override
    public void onText(WebSocket<Object> socket, ByteBuffer utf8, boolean last) {
        piece(true, utf8, last);
        if (echo) {
            socket.sendText(utf8);
        }
    }

    @Override
    public void onBinary(WebSocket<Object> socket, ByteBuffer data, boolean last) {
        piece(false, data, last);
        if (echo) {
            socket.sendBinary(data);
        }
    }

    private void piece(boolean text, ByteBuffer data, boolean last) {
        if (partial == null && last) {
            messages.add(new Message(text, bytes(data)));
            return;
        }
        if (partial == null) {
            partial = new ByteArrayOutputStream();
        }
        partial.writeBytes(bytes(data));
        if (last) {
            messages.add(new Message(text, partial.toByteArray()));
            partial = null;
        }
    }

    @Override
    public void onPing(WebSocket<Object> socket, ByteBuffer payload) {
        pings.add(bytes(payload));
    }

    @Override
    public void onPong(WebSocket<Object> socket, ByteBuffer payload) {
        pongs.add(bytes(payload));
    }

    @Override
    public void onClose(WebSocket<Object> socket, int code, String reason, boolean clean) {
        closeCalls.incrementAndGet();
        closed.complete(new Closed(code, reason, clean));
    }

    @Override
    public void onError(WebSocket<Object> socket, Throwable error) {
        errors.add(error);
    }

    /**
     * The next message, waiting at most {@code seconds}; fails at once (with what onClose and
     * onError reported) when the connection closes instead.
     */
    Message nextMessage(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Message m = messages.poll(20, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (closed.isDone() && messages.isEmpty()) {
                throw new AssertionError("connection closed instead of delivering a message: " + closed.join()
                        + ", errors " + errors);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no message within " + seconds + " s; errors " + errors);
            }
        }
    }

    Closed awaitClose(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    WebSocket<Object> awaitOpen(long seconds) throws Exception {
        return opened.get(seconds, TimeUnit.SECONDS);
    }
}
