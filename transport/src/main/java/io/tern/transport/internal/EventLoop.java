package io.tern.transport.internal;

import io.tern.codec.MaskKeySource;
import io.tern.codec.deflate.ZStreamPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One thread, one {@link Selector}, a lock-free task queue, a timer wheel, and the buffers and
 * pools its connections share. Every connection belongs to exactly one loop for life, and all of
 * its work — reads, callbacks, writes, timers — runs on the loop's thread, so connection state
 * needs no locks.
 *
 * <p>Other threads reach a loop only through {@link #execute(Runnable)}: the task goes into an
 * {@link MpscQueue} and the selector is woken at most once per batch ({@link WakeupGate}).
 *
 * <p>One turn of the loop: run queued tasks; flush connections with pending output; block in
 * {@code select} until a channel is ready, a task arrives or the next timer is due; handle the
 * ready channels (reading and dispatching, queuing replies); fire due timers; flush again. Replies
 * produced while a read batch is handled therefore go out together, one gathering write per
 * connection.
 *
 * <p>The loop never dies of an exception: whatever a channel handler or a task throws is logged
 * and confined to the connection it came from.
 */
public final class EventLoop implements Runnable, java.util.concurrent.Executor {

    private static final System.Logger LOG = System.getLogger("io.tern.transport");

    /** Size of the one read buffer all connections of a loop share. */
    static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final int TASK_BATCH = 4096;
    private static final long TIMER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int TIMER_SLOTS = 4096;

    private final String name;
    private final Selector selector;
    private final MpscQueue<Runnable> tasks = new MpscQueue<>();
    private final WakeupGate gate = new WakeupGate();
    private final TimerWheel timers;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final DirectBufferPool buffers = new DirectBufferPool(4096, 1 << 20, 64);
    private final ZStreamPool zstreams = new ZStreamPool();
    private final MaskKeySource maskKeys = MaskKeySource.secure();
    private final LoopCounters counters = new LoopCounters();
    private final ArrayDeque<Connection> flushQueue = new ArrayDeque<>();
    private final Consumer<SelectionKey> onKey = this::dispatch;
    private final Consumer<Runnable> runTask = this::runTask;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private Connection[] connections = new Connection[64];
    private volatile int connectionCount; // written by the loop only; read by shutdown waits
    private final Thread thread;
    private volatile boolean running = true;
    private long now;

    /**
     * Creates a loop and its thread (not started).
     *
     * @param name   the thread's name
     * @param daemon whether the thread is a daemon thread
     * @throws UncheckedIOException if no selector can be opened
     */
    public EventLoop(String name, boolean daemon) {
        this.name = name;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.now = System.nanoTime();
        this.timers = new TimerWheel(TIMER_TICK_NANOS, TIMER_SLOTS, now);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(daemon);
    }

    /** Starts the loop's thread. */
    public void start() {
        thread.start();
    }

    /**
     * Runs a task on the loop's thread: at once when called from it, otherwise after the current
     * turn. Safe from any thread; never blocks.
     *
     * @param task the work
     */
    @Override
    public void execute(Runnable task) {
        if (inLoop()) {
            runTask(task);
            return;
        }
        submit(task);
    }

    /**
     * Queues a task for the loop even when called from the loop's own thread.
     *
     * @param task the work
     */
    public void submit(Runnable task) {
        tasks.offer(task);
        if (gate.signal()) {
            selector.wakeup();
        }
    }

    /**
     * Whether the calling thread is this loop's thread.
     *
     * @return {@code true} on the loop
     */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Asks the loop to stop after its current turn; connections still open are aborted. */
    public void stop() {
        running = false;
        selector.wakeup();
    }

    /**
     * Waits for the loop's thread to end.
     *
     * @param timeoutMillis how long to wait at most
     * @return {@code true} if it ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!terminated.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        // The latch opens in the thread's last finally block; join so that "terminated" also
        // means the thread is gone.
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        thread.join(Math.max(1, left));
        return !thread.isAlive();
    }

    /**
     * Whether the loop's thread is still running.
     *
     * @return {@code true} until the thread has ended
     */
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void run() {
        try {
            while (running) {
                turn();
            }
        } catch (Throwable fatal) {
            // Only a broken selector gets here: everything else is caught per channel or task.
            LOG.log(System.Logger.Level.ERROR, name + " stopped by an unexpected error", fatal);
        } finally {
            shutdownNow();
            terminated.countDown();
        }
    }

    private void turn() throws IOException {
        gate.clear();
        tasks.drain(runTask, TASK_BATCH);
        flushAll();
        long wait;
        if (!tasks.isEmpty()) {
            wait = -1;
        } else {
            long untilTimer = timers.nanosUntilNextExpiry(now = System.nanoTime());
            wait = untilTimer < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilTimer + 999_999));
        }
        if (wait < 0) {
            selector.selectNow(onKey);
        } else {
            selector.select(onKey, wait);
        }
        now = System.nanoTime();
        timers.expire(now);
        flushAll();
    }

    private void dispatch(SelectionKey key) {
        SelectHandler handler = (SelectHandler) key.attachment();
        try {
            handler.onSelect(key);
        } catch (Throwable t) {
            handler.onLoopError(t);
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, name + ": a task failed", t);
        }
    }

    private void flushAll() {
        for (Connection c; (c = flushQueue.pollFirst()) != null; ) {
            c.flushFromLoop();
        }
    }

    /** Asks for a connection to be flushed at the end of this turn; loop thread only. */
    void scheduleFlush(Connection connection) {
        flushQueue.addLast(connection);
    }

    /** Registers a connection with this loop; loop thread only. */
    void add(Connection connection) {
        if (connectionCount == connections.length) {
            connections = java.util.Arrays.copyOf(connections, connectionCount * 2);
        }
        connection.loopIndex = connectionCount;
        connections[connectionCount++] = connection;
    }

    /** Forgets a closed connection; loop thread only. */
    void remove(Connection connection) {
        int i = connection.loopIndex;
        if (i < 0 || i >= connectionCount || connections[i] != connection) {
            return;
        }
        Connection last = connections[--connectionCount];
        connections[i] = last;
        last.loopIndex = i;
        connections[connectionCount] = null;
        connection.loopIndex = -1;
    }

    /**
     * Calls {@code action} for every connection of this loop; loop thread only. The action may
     * close connections.
     */
    void forEachConnection(Consumer<Connection> action) {
        Connection[] snapshot = java.util.Arrays.copyOf(connections, connectionCount);
        for (Connection c : snapshot) {
            action.accept(c);
        }
    }

    /**
     * Starts a graceful close of every connection of this loop: open ones get 1001 and a closing
     * handshake, ones still in their opening handshake are closed. Safe from any thread.
     */
    public void closeAllGracefully() {
        execute(() -> forEachConnection(Connection::shutdown));
    }

    /**
     * How many connections this loop owns (opened or still in their handshake).
     *
     * @return the count; exact on the loop thread, an estimate elsewhere
     */
    public int connectionCount() {
        return connectionCount;
    }

    private void shutdownNow() {
        for (Connection c : java.util.Arrays.copyOf(connections, connectionCount)) {
            c.abortOnLoopStop();
        }
        for (Runnable r; (r = tasks.poll()) != null; ) {
            runTask(r);
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        zstreams.close();
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    DirectBufferPool buffers() {
        return buffers;
    }

    ZStreamPool zstreams() {
        return zstreams;
    }

    MaskKeySource maskKeys() {
        return maskKeys;
    }

    TimerWheel timers() {
        return timers;
    }

    long now() {
        return now;
    }

    /**
     * This loop's counters.
     *
     * @return the counters
     */
    public LoopCounters counters() {
        return counters;
    }

    /**
     * The loop's name (also its thread's name).
     *
     * @return the name
     */
    public String name() {
        return name;
    }
}
