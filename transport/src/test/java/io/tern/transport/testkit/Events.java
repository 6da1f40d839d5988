package io.tern.transport.testkit;

import io.tern.transport.testkit.Recorder.Closed;
import io.tern.transport.testkit.Recorder.Message;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Recorder} was told: about all of its connections (the recorder itself) or about
 * one of them (a {@link Recorder.Track}). Whole messages (assembled from fragments), pings, pongs
 * and errors are queued in arrival order; the first close completes {@link #closed}.
 *
 * <p>Filled on the connections' loop threads and read by the test thread: every field is
 * thread-safe, and {@link #closedAtNanos()} is set before {@link #closed} completes.
 */
public class Events {

    /** Whole data messages, in order. */
    public final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    /** Payloads of the pings received. */
    public final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    /** Payloads of the pongs received. */
    public final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    /** What onError reported. */
    public final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    /** The first onClose. */
    public final CompletableFuture<Closed> closed = new CompletableFuture<>();
    /** How many times onClose ran: exactly once per connection. */
    public final AtomicInteger closeCalls = new AtomicInteger();
    /** How many times onDrain ran. */
    public final AtomicInteger drains = new AtomicInteger();
    /** {@code queuedBytes()} at each onDrain. */
    public final Queue<Long> queuedAtDrain = new ConcurrentLinkedQueue<>();

    private final AtomicLong closedAt = new AtomicLong();

    Events() {
    }

    /** Records an onClose: counts it, and the first one sets the time and completes {@link #closed}. */
    void close(Closed c, long nanos) {
        closeCalls.incrementAndGet();
        closedAt.compareAndSet(0, nanos);
        closed.complete(c);
    }

    /** When the first onClose ran, as {@link System#nanoTime()}; 0 before any. */
    public long closedAtNanos() {
        return closedAt.get();
    }

    /**
     * The next item of one of the queues, waiting at most {@code seconds} but no longer than the
     * connection stays open: once closed, only what had already arrived is returned.
     *
     * @param <T>     the item type
     * @param queue   one of this object's queues
     * @param seconds the longest wait
     * @return the item, or {@code null} when none came
     * @throws InterruptedException when interrupted
     */
    public <T> T poll(BlockingQueue<T> queue, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean wasClosed = closed.isDone();
            T item = queue.poll(20, TimeUnit.MILLISECONDS);
            if (item != null || wasClosed || System.nanoTime() - deadline > 0) {
                return item;
            }
        }
    }

    /**
     * The next whole message; fails (with what onClose and onError reported) when none comes
     * within {@code seconds} or the connection closes instead.
     *
     * @param seconds the longest wait
     * @return the message
     * @throws InterruptedException when interrupted
     */
    public Message nextMessage(long seconds) throws InterruptedException {
        Message m = poll(messages, seconds);
        if (m != null) {
            return m;
        }
        if (closed.isDone()) {
            throw new AssertionError("connection closed instead of delivering a message: " + closed.join()
                    + ", errors " + errors);
        }
        throw new AssertionError("no message within " + seconds + " s; errors " + errors);
    }

    /** Waits at most {@code seconds} for the first onClose; throws on timeout. */
    public Closed awaitClose(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }
}
