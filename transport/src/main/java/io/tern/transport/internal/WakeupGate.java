package io.tern.transport.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-bit latch that lets producers wake a consumer at most once per batch of submissions.
 *
 * <h2>Threading contract</h2>
 * {@link #signal()} may be called from any thread. {@link #clear()} must be called only by the
 * consumer (the event loop thread). {@link #isSignalled()} may be called from any thread and is a
 * hint.
 *
 * <h2>Protocol</h2>
 * Used together with an {@link MpscQueue} and a <em>sticky</em> wakeup mechanism: one that, when
 * triggered while the consumer is not blocked, makes the consumer's next block return at once
 * ({@code Selector.wakeup()} and {@code LockSupport.unpark} both behave this way).
 * <pre>{@code
 * // producer, any thread
 * queue.offer(task);                 // first offer, THEN signal
 * if (gate.signal()) {
 *     selector.wakeup();             // only the first producer since the last clear() pays
 * }
 *
 * // consumer, the loop thread
 * for (;;) {
 *     gate.clear();                  // BEFORE draining
 *     queue.drain(Runnable::run, 1024);
 *     if (!queue.isEmpty()) {
 *         continue;                  // more work, or an offer in flight: do not block
 *     }
 *     selector.select(timeout);      // may block
 * }
 * }</pre>
 *
 * <h2>Why no wakeup is lost</h2>
 * Let a producer finish {@code offer(e)} (its tail swap, a volatile read-modify-write, is write
 * <i>X</i>) and then call {@code signal()}, whose first action is a volatile read <i>R</i> of the
 * flag. Volatile accesses are totally ordered consistently with each thread's program order.
 * <ul>
 *   <li>If <i>R</i> sees {@code false} and the CAS wins, this producer wakes the consumer; the
 *       consumer then runs {@code clear()}, which is ordered after <i>X</i>.</li>
 *   <li>Otherwise <i>R</i> (or the failed CAS) saw {@code true}, written by the winning CAS of
 *       some signaller <i>S</i>, with no {@code clear()} between <i>S</i> and <i>R</i> in that
 *       total order. <i>S</i> wakes the consumer (sticky), so the consumer runs a new
 *       {@code clear()} <i>C</i> after <i>S</i>; as no clear lies between <i>S</i> and <i>R</i>,
 *       <i>C</i> comes after <i>R</i>, hence after <i>X</i>.</li>
 * </ul>
 * Either way the consumer executes a {@code clear()} that follows <i>X</i>, and after it reads the
 * tail (volatile) in {@code isEmpty()}, so it either removes {@code e} or sees the queue non-empty
 * and does not block. What matters is that {@code clear()} precedes the emptiness check that
 * decides to block; clearing before draining is the simplest way to guarantee it. Clearing
 * <em>after</em> that check would be wrong: a producer could offer after the check, see the old
 * {@code true}, skip the wakeup, and then the consumer would clear and block with {@code e}
 * stranded. The volatile write in {@code clear()} is also what stops the consumer's later queue
 * reads from being reordered before it (a StoreLoad fence on x86).
 *
 * <h2>Mechanical sympathy</h2>
 * {@code signal()} reads before it CASes: while a batch is pending the flag is already set, and a
 * plain volatile read keeps its cache line shared between producer cores instead of bouncing it in
 * exclusive state on every submission, which an unconditional CAS or {@code getAndSet} would do.
 */
public final class WakeupGate {
    private static final VarHandle SIGNALLED;

    static {
        try {
            SIGNALLED = MethodHandles.lookup().findVarHandle(WakeupGate.class, "signalled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean signalled;

    /** Creates a cleared gate. */
    public WakeupGate() {
    }

    /**
     * Records that work is pending. Call after the work has been offered. Any thread.
     *
     * @return {@code true} only for the first caller since the consumer's last {@link #clear()}:
     *     that caller must wake the consumer; every other caller must not
     */
    public boolean signal() {
        return !signalled && SIGNALLED.compareAndSet(this, false, true);
    }

    /**
     * Re-arms the gate. Consumer thread only; call before draining the queue (at the latest before
     * the emptiness check that decides to block).
     */
    public void clear() {
        signalled = false;
    }

    /**
     * Tells whether a signal is pending since the last {@link #clear()}. Any thread; a hint.
     *
     * @return {@code true} if signalled and not yet cleared
     */
    public boolean isSignalled() {
        return signalled;
    }
}
