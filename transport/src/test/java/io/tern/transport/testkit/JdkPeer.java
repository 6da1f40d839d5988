package io.tern.transport.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listener for the JDK's own WebSocket client (an independent implementation to talk to Tern's
 * server): assembles messages from their parts and writes down pings, pongs, errors and the
 * close, which it answers at once with the same code.
 *
 * <p>The JDK calls a listener on one thread at a time; the test thread reads the thread-safe
 * queues and futures.
 */
public final class JdkPeer implements WebSocket.Listener {

    /** One HTTP client for all tests: it has no close() on Java 17, its WebSockets are closed per test. */
    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Whole messages, in order. */
    public final BlockingQueue<Recorder.Message> messages = new LinkedBlockingQueue<>();
    /** Payloads of the pongs received. */
    public final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    /** Payloads of the pings received (the JDK answers them itself). */
    public final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    /** The server's close (always "clean" here); completes exceptionally on an error. */
    public final CompletableFuture<Recorder.Closed> closed = new CompletableFuture<>();
    /** What onError reported. */
    public final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    /** Opens a JDK WebSocket, waiting at most 10 s. */
    public static WebSocket open(URI uri, JdkPeer listener, String... subprotocols) throws Exception {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return b.buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(new Recorder.Message(true, text.toString().getBytes(StandardCharsets.UTF_8)));
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        binary.writeBytes(Recorder.bytes(data));
        if (last) {
            messages.add(new Recorder.Message(false, binary.toByteArray()));
            binary.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        pings.add(Recorder.bytes(message));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        pongs.add(Recorder.bytes(message));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Recorder.Closed(statusCode, reason, true));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        errors.add(error);
        closed.completeExceptionally(error);
    }

    /**
     * The next whole message; fails when none comes within {@code seconds} or the connection
     * closes instead.
     *
     * @param seconds the longest wait
     * @return the message
     * @throws InterruptedException when interrupted
     */
    public Recorder.Message nextMessage(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Recorder.Message m = messages.poll(20, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (closed.isDone() && messages.isEmpty()) {
                throw new AssertionError("JDK client: connection closed instead of delivering a message: "
                        + (closed.isCompletedExceptionally() ? "error" : closed.join()) + ", errors " + errors);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("JDK client: no message within " + seconds + " s; errors " + errors);
            }
        }
    }
}
