package io.tern.transport.internal;

import io.tern.codec.MaskKeySource;
import io.tern.codec.deflate.ZStreamPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 * <h2>Faults</h2>
 * No {@code Throwable} ends the loop's thread while the loop is meant to run — not an
 * {@code OutOfMemoryError}, not a handler's {@code StackOverflowError}, not a logger that throws.
 * What a channel handler throws is confined to its channel ({@link SelectHandler#onLoopError},
 * and if that throws too, {@link SelectHandler#abandon}); what a task or a timer throws is
 * reported and the loop goes on with the next one. Error paths never depend on a log call
 * succeeding: they log through {@link Log}, and build no message outside its guard that could
 * fail unguarded. A turn that fails as a whole (its {@code select} threw) is retried after a short
 * pause that grows while failures repeat. Only {@link #stop()} ends the thread, or a selector that
 * is closed or fails {@value #SELECT_FAILURE_LIMIT} turns in a row: it is then broken for good,
 * and the loop says so on standard error (a write that cannot fail the loop) and through the
 * logger before aborting its connections.
 *
 * <h2>Threading</h2>
 * {@link #execute}, {@link #submit}, {@link #stop}, {@link #inLoop}, {@link #awaitTermination},
 * {@link #isAlive}, {@link #connectionCount}, {@link #closeAllGracefully}, {@link #counters} and
 * {@link #name} are safe from any thread; every package-private method is for the loop's own
 * thread only.
 *
 * <p>Why some 500 lines: the loop's turn and its fault containment (every task, timer, key and
 * flush guarded on its own, with the recovery rules beside them) belong together; the pieces it
 * drives (queue, gate, wheel, pools) are classes of their own.
 */
public final class EventLoop implements Runnable, Executor {

    /**
     * Classes the error paths use, loaded with this class: they must work when the process is out
     * of descriptors, and loading a class means opening its class file (a failed load is
     * remembered, so a class missed then would stay unusable for good).
     */
    private static final Class<?>[] ERROR_PATH_CLASSES = {Log.class, LogThrottle.class, Acceptor.class};

    /** Consecutive failed turns after which a selector that keeps failing is taken for broken. */
    static final int SELECT_FAILURE_LIMIT = 10;
    /** Longest pause after a failed turn, in milliseconds. */
    private static final long MAX_FAILURE_PAUSE_MILLIS = 100;
    /** Timers that may throw within one turn before the rest waits for the next turn. */
    private static final int TIMER_FAILURES_PER_TURN = 64;

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
    /** Size of the shared plaintext buffer of TLS connections. */
    static final int TLS_PLAIN_BUFFER_SIZE = READ_BUFFER_SIZE + 32 * 1024;
    private ByteBuffer tlsPlainBuffer;
    private final DirectBufferPool buffers = new DirectBufferPool(4096, 1 << 20, 64);
    private final ZStreamPool zstreams = new ZStreamPool();
    private final MaskKeySource maskKeys = MaskKeySource.secure();
    private final LoopCounters counters = new LoopCounters();
    private final ArrayDeque<Connection> flushQueue = new ArrayDeque<>();
    private final Consumer<SelectionKey> onKey = this::dispatch;
    private final Consumer<Runnable> runTask = this::runTask;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final LogThrottle failureLog = new LogThrottle(TimeUnit.SECONDS.toNanos(10));
    private int failedTurns;
    private int failedSelects;

    private Connection[] connections = new Connection[64];
    private volatile int connectionCount; // written by the loop only; read by shutdown waits
    private final Thread thread;
    private volatile boolean running = true;
    /** The monotonic clock, in nanoseconds: {@code System::nanoTime} except in tests. */
    private final LongSupplier clock;

    /**
     * Creates a loop and its thread (not started).
     *
     * @param name   the thread's name
     * @param daemon whether the thread is a daemon thread
     * @throws UncheckedIOException if no selector can be opened
     */
    public EventLoop(String name, boolean daemon) {
        this(name, daemon, System::nanoTime);
    }

    /**
     * Creates a loop on the given clock (tests use a fake one).
     *
     * @param name   the thread's name
     * @param daemon whether the thread is a daemon thread
     * @param clock  the monotonic time in nanoseconds, like {@link System#nanoTime()}; read once
     *               here, then on the loop's thread only
     */
    EventLoop(String name, boolean daemon, LongSupplier clock) {
        this.name = name;
        this.clock = clock;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.timers = new TimerWheel(TIMER_TICK_NANOS, TIMER_SLOTS, clock.getAsLong());
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
                try {
                    turn();
                    failedTurns = 0;
                } catch (ClosedSelectorException e) {
                    if (running) {
                        brokenForGood("its selector was closed", e);
                    }
                    return;
                } catch (Throwable t) {
                    if (!survive(t)) {
                        return;
                    }
                }
            }
        } finally {
            shutdownNow();
            terminated.countDown();
        }
    }

    /**
     * A whole turn failed: only {@code select} or the loop's own bookkeeping can get here, since
     * channels, tasks and timers are guarded one by one. Pauses briefly (longer while failures
     * repeat, so a persistent fault cannot spin a core) and tells whether to go on.
     */
    private boolean survive(Throwable t) {
        failedTurns++;
        if (t instanceof IOException && ++failedSelects >= SELECT_FAILURE_LIMIT) {
            brokenForGood("its selector failed " + SELECT_FAILURE_LIMIT + " times in a row", t);
            return false;
        }
        report("a loop turn failed; retrying", t);
        if (running) {
            pause(Math.min(MAX_FAILURE_PAUSE_MILLIS, 1L << Math.min(failedTurns, 7)));
        }
        return true;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // the loop ends through stop(), not interruption; the pause is over either way
        } catch (Throwable ignored) {
            // nothing to do but go on
        }
    }

    /** The selector cannot be used any more: say so where it cannot fail, then end the loop. */
    private void brokenForGood(String why, Throwable cause) {
        try {
            System.err.println("tern: event loop " + name + " stops: " + why + " (" + cause + ")");
        } catch (Throwable ignored) {
            // standard error is gone too; the logger below is the last chance
        }
        try {
            Log.log(System.Logger.Level.ERROR, "event loop " + name + " stops: " + why, cause);
        } catch (Throwable ignored) {
            // could not even build the message
        }
    }

    /** Reports a confined failure, at most one line per interval; never throws. */
    private void report(String what, Throwable cause) {
        try {
            long skipped = failureLog.admit(System.nanoTime());
            if (skipped >= 0) {
                Log.log(System.Logger.Level.WARNING, name + ": " + what
                        + (skipped > 0 ? " (" + skipped + " similar failures since the last report)" : ""), cause);
            }
        } catch (Throwable ignored) {
            // building the message failed (out of memory): the failure stays confined anyway
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
            long untilTimer = timers.nanosUntilNextExpiry(clock.getAsLong());
            wait = untilTimer < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilTimer + 999_999));
        }
        if (wait < 0) {
            selector.selectNow(onKey);
        } else {
            selector.select(onKey, wait);
        }
        failedSelects = 0;
        expireTimers(clock.getAsLong());
        flushAll();
    }

    /**
     * Fires due timers. A timer that throws has already fired (it is idle), so trying again goes
     * on with the ones after it; each attempt fires at least one timer, and the bound leaves the
     * rest for the next turn should that many throw.
     */
    private void expireTimers(long now) {
        for (int failures = 0; failures < TIMER_FAILURES_PER_TURN; failures++) {
            try {
                timers.expire(now);
                return;
            } catch (Throwable t) {
                report("a timer failed", t);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        SelectHandler handler = (SelectHandler) key.attachment();
        try {
            handler.onSelect(key);
        } catch (Throwable t) {
            confine(handler, key, t);
        }
    }

    /**
     * Confines what a channel's handler threw to that channel: the handler's own recovery first;
     * if that throws as well (its logging failed too, say), the channel is released without it.
     */
    private void confine(SelectHandler handler, SelectionKey key, Throwable error) {
        try {
            handler.onLoopError(error);
            return;
        } catch (Throwable again) {
            report("recovering from a channel's failure failed; closing the channel", again);
        }
        handler.abandon(key); // a connection's also releases its buffers and its place in this loop
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            report("a task failed", t);
        }
    }

    private void flushAll() {
        for (Connection c; (c = flushQueue.pollFirst()) != null; ) {
            try {
                c.flushFromLoop();
            } catch (Throwable t) {
                SelectionKey key = c.channel.keyFor(selector);
                if (key != null && key.attachment() instanceof SelectHandler handler) {
                    confine(handler, key, t);
                } else {
                    try {
                        c.finishClose();
                    } catch (Throwable ignored) {
                        // the connection never got a key: nothing else holds it
                    }
                }
            }
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

    /** Aborts what is left, one guarded step at a time: nothing here may skip the rest. */
    private void shutdownNow() {
        for (Connection c : java.util.Arrays.copyOf(connections, connectionCount)) {
            try {
                c.abortOnLoopStop();
            } catch (Throwable t) {
                report("aborting a connection failed", t);
            }
        }
        for (Runnable r; (r = tasks.poll()) != null; ) {
            runTask(r);
        }
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        } catch (ClosedSelectorException ignored) {
            // its channels were deregistered when it closed
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        try {
            zstreams.close();
        } catch (Throwable t) {
            report("releasing the deflate streams failed", t);
        }
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /**
     * The buffer TLS connections of this loop decrypt into, made on first use (a loop without
     * TLS connections never has one): the read buffer's size plus room for one more record.
     */
    ByteBuffer tlsPlainBuffer() {
        if (tlsPlainBuffer == null) {
            tlsPlainBuffer = ByteBuffer.allocateDirect(TLS_PLAIN_BUFFER_SIZE);
        }
        return tlsPlainBuffer;
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

    /**
     * The current time on this loop's clock, read at the call; loop thread only. Not a value
     * cached per turn: channel handlers run from inside {@code select}, which may have blocked for
     * any length of time (a loop with no timer due blocks until a channel is ready), and after
     * other handlers or tasks that took long, so a deadline must never be counted from the time
     * the turn began.
     *
     * @return nanoseconds on the monotonic clock the timer wheel runs on
     */
    long now() {
        return clock.getAsLong();
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
